-- Several instances on one PostgreSQL: a job runs where its lease is held (once per cluster), and the
-- broadcast send rate is one budget for the whole cluster, not one per instance.
CREATE TABLE job_leases (
  name        VARCHAR(40) PRIMARY KEY,
  holder      VARCHAR(64) NOT NULL,
  until       BIGINT      NOT NULL
);

CREATE TABLE rate_budget (
  name        VARCHAR(40) PRIMARY KEY,
  tokens      DOUBLE PRECISION NOT NULL,
  refilled_at BIGINT      NOT NULL
);

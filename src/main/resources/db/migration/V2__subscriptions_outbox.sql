CREATE TABLE subscriptions (
  contact_id  VARCHAR(36) NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  topic       VARCHAR(40) NOT NULL,
  district    VARCHAR(64),
  created_at  BIGINT      NOT NULL,
  PRIMARY KEY (contact_id, topic)
);

-- Messages that would have gone to a provider when none is configured (the local default).
CREATE TABLE outbox (
  id          VARCHAR(36) PRIMARY KEY,
  channel     VARCHAR(16) NOT NULL,
  to_enc      TEXT        NOT NULL,
  body_enc    TEXT        NOT NULL,
  segments    INTEGER,
  encoding    VARCHAR(8),
  created_at  BIGINT      NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);

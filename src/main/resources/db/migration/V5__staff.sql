-- City staff: accounts with one role, login sessions (only a hash of the token is stored), audit log.
CREATE TABLE staff_users (
  id              VARCHAR(36)  PRIMARY KEY,
  username        VARCHAR(64)  NOT NULL UNIQUE,
  password_hash   VARCHAR(100) NOT NULL,
  role            VARCHAR(16)  NOT NULL,
  failed_logins   INTEGER      NOT NULL DEFAULT 0,
  locked_until    BIGINT       NOT NULL DEFAULT 0,
  disabled        INTEGER      NOT NULL DEFAULT 0,
  created_at      BIGINT       NOT NULL
);

CREATE TABLE staff_sessions (
  token_hash  VARCHAR(64) PRIMARY KEY,
  user_id     VARCHAR(36) NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  csrf        VARCHAR(64) NOT NULL,
  expires_at  BIGINT      NOT NULL,
  created_at  BIGINT      NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

CREATE TABLE audit_log (
  id        VARCHAR(36)  PRIMARY KEY,
  user_id   VARCHAR(36),
  username  VARCHAR(64),
  action    VARCHAR(40)  NOT NULL,
  target    VARCHAR(64),
  detail    TEXT,
  at        BIGINT       NOT NULL
);
CREATE INDEX audit_at ON audit_log (at);

-- Conversations waiting for a person (asked for one, or the bot failed twice), for the staff inbox.
ALTER TABLE contacts ADD COLUMN handoff_since BIGINT;
CREATE INDEX contacts_handoff ON contacts (handoff_since);

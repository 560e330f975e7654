-- Community needs: reports from residents (by chat) and registered associations (API, CSV, Open311).
-- Officials see the scrubbed text; the original is kept encrypted and expires with the retention period.
CREATE TABLE associations (
  id          VARCHAR(36)  PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  key_prefix  VARCHAR(16)  NOT NULL,
  key_hash    VARCHAR(64)  NOT NULL UNIQUE,
  created_by  VARCHAR(64),
  created_at  BIGINT       NOT NULL,
  revoked_at  BIGINT
);

CREATE TABLE needs (
  id              VARCHAR(36)  PRIMARY KEY,
  code            VARCHAR(12)  NOT NULL UNIQUE,
  source          VARCHAR(12)  NOT NULL,
  association_id  VARCHAR(36)  REFERENCES associations(id),
  contact_id      VARCHAR(36)  REFERENCES contacts(id) ON DELETE SET NULL,
  external_id     VARCHAR(64),
  topic           VARCHAR(40)  NOT NULL,
  language        VARCHAR(8)   NOT NULL,
  district        VARCHAR(64),
  people          INTEGER,
  urgency         VARCHAR(8),
  text_scrubbed   TEXT,
  text_enc        TEXT,
  status          VARCHAR(16)  NOT NULL,
  status_note     TEXT,
  created_at      BIGINT       NOT NULL,
  updated_at      BIGINT       NOT NULL
);
CREATE INDEX needs_created ON needs (created_at);
CREATE INDEX needs_similar ON needs (topic, district, created_at);
CREATE INDEX needs_contact ON needs (contact_id);
CREATE UNIQUE INDEX needs_external ON needs (association_id, external_id);

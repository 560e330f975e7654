-- Broadcasts and their deliveries: one row per (broadcast, contact), so a retry, a double click or a
-- restart can never create a second delivery.
CREATE TABLE broadcasts (
  id            VARCHAR(36) PRIMARY KEY,
  created_by    VARCHAR(36) NOT NULL,
  status        VARCHAR(20) NOT NULL,
  emergency     INTEGER     NOT NULL DEFAULT 0,
  audience      TEXT        NOT NULL,
  texts         TEXT        NOT NULL,
  fallback      VARCHAR(8),
  recipients    INTEGER     NOT NULL DEFAULT 0,
  approved_by   VARCHAR(36),
  created_at    BIGINT      NOT NULL,
  updated_at    BIGINT      NOT NULL
);

CREATE TABLE deliveries (
  broadcast_id  VARCHAR(36) NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  contact_id    VARCHAR(36) NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  language      VARCHAR(8)  NOT NULL,
  status        VARCHAR(12) NOT NULL,
  attempts      INTEGER     NOT NULL DEFAULT 0,
  updated_at    BIGINT      NOT NULL,
  PRIMARY KEY (broadcast_id, contact_id)
);
CREATE INDEX deliveries_status ON deliveries (status, broadcast_id);

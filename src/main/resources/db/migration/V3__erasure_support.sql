-- The outbox can be erased per resident: keyed hash of the recipient, like contacts.
ALTER TABLE outbox ADD COLUMN to_hash VARCHAR(64);
CREATE INDEX outbox_to_hash ON outbox (to_hash);
CREATE INDEX messages_address ON messages (address_hash);

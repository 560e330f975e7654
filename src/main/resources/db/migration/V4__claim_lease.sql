-- A claim is a lease: a message left 'processing' by a crashed instance is taken again after it expires.
ALTER TABLE messages ADD COLUMN claimed_at BIGINT;

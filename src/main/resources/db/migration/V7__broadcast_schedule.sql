-- Scheduled broadcasts start by themselves when their time comes.
ALTER TABLE broadcasts ADD COLUMN scheduled_at BIGINT;

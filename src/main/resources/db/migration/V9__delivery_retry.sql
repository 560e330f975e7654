-- Broadcast deliveries that failed for a temporary reason wait before the next try (exponential
-- backoff), and keep the provider's error code for the progress view.
ALTER TABLE deliveries ADD COLUMN not_before BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN error_code VARCHAR(16);

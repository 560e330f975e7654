package org.welcomeline.channel;

/** A failed send, typed so the caller knows whether to retry and what to record. */
public final class SendException extends Exception {
  /** What kind of failure. */
  public enum Kind {
    /** Temporary: timeouts, connection errors, 5xx. Retry with backoff. */
    RETRYABLE,
    /** The provider asks us to slow down (HTTP 429, Twilio 20429). Retry with backoff. */
    THROTTLED,
    /** The recipient opted out at the carrier (Twilio 21610): mark the contact opted out. */
    OPTED_OUT,
    /** The address can never receive (Twilio 21211 invalid, 21614 not mobile). */
    INVALID_ADDRESS,
    /** Any other refusal; do not retry. */
    PERMANENT
  }

  private final Kind kind;
  private final String code;

  public SendException(Kind kind, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** The provider's error code, or the HTTP status, or null. */
  public String code() {
    return code;
  }

  public boolean retryable() {
    return kind == Kind.RETRYABLE || kind == Kind.THROTTLED;
  }
}

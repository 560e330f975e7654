package org.welcomeline.channel;

/**
 * Sends one message outside a provider's webhook reply (staff replies, broadcasts, answers to
 * messages recovered after a crash). Implementations: Twilio's REST API, and the local outbox used
 * when no credentials are configured. Blocking: call from a worker thread.
 */
public interface Sender {

  /**
   * @param channel {@code sms} or {@code whatsapp}
   * @param to      the resident's address ({@code +15550100} or {@code whatsapp:+15550100})
   * @return the provider's message id
   * @throws SendException typed: retryable (timeouts, 5xx, throttling) or permanent
   */
  String send(String channel, String to, String body) throws SendException;

  /**
   * As {@link #send(String, String, String)}, with a key naming this message: a sender that can
   * deduplicate ({@link #idempotent()}) sends a key at most once, so a resend after a crash is safe.
   */
  default String send(String channel, String to, String body, String idempotencyKey) throws SendException {
    return send(channel, to, body);
  }

  /** True when {@link #send(String, String, String, String)} never sends the same key twice. */
  default boolean idempotent() {
    return false;
  }

  /** A short name for logs and metrics. */
  String name();
}

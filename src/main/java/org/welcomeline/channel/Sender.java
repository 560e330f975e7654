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

  /** A short name for logs and metrics. */
  String name();
}

package org.welcomeline.channel;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.welcomeline.channel.webchat.WebChatChannel;

/**
 * Sends one message outside a webhook answer, on the resident's own channel: SMS/WhatsApp through the
 * {@link Sender}, web chat over the event bus to the resident's open socket (on any instance once the
 * event bus is clustered). Used by staff replies and broadcasts. Blocking for SMS.
 */
public final class Outbound {
  private static final long LIVE_TIMEOUT_MS = 3000;
  private final Vertx vertx;
  private final Sender sender;

  public Outbound(Vertx vertx, Sender sender) {
    this.vertx = vertx;
    this.sender = sender;
  }

  /** True when a resend after a crash cannot duplicate (the sender deduplicates by key). */
  public boolean idempotent() {
    return sender.idempotent();
  }

  /**
   * What a send became: {@code sent}, or {@code waiting} when a web-chat resident has no chat open (the
   * message is shown at their next visit, see {@link WebChatChannel}); and the provider's id for an
   * SMS ("twilio:SM…", "outbox:…"), which delivery status callbacks refer to.
   */
  public record Sent(String status, String providerId) {
  }

  /** Sends; {@code intent} tells the web chat what this is ("staff", "broadcast"). Blocking. */
  public Sent send(String channel, String address, String text, String language, String intent)
      throws SendException {
    return send(channel, address, text, language, intent, null);
  }

  /** As above, with an idempotency key for senders that deduplicate. Blocking: call from a worker. */
  public Sent send(String channel, String address, String text, String language, String intent, String key)
      throws SendException {
    if (!channel.equals(WebChatChannel.CHANNEL)) {
      return new Sent("sent", sender.name() + ":" + sender.send(channel, address, text, key));
    }
    String session = address.substring(address.indexOf(':') + 1);
    // a request, not a publish: the open socket (on any instance) confirms it wrote the frame; no
    // consumer means no open chat, and the message waits for the next visit
    try {
      vertx.eventBus().request(WebChatChannel.address(session), WebChatChannel.replyFrame(text, language, intent),
              new DeliveryOptions().setSendTimeout(LIVE_TIMEOUT_MS))
          .toCompletionStage().toCompletableFuture().get(LIVE_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
      return new Sent("sent", null);
    } catch (ExecutionException | TimeoutException e) {
      return new Sent("waiting", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent("waiting", null);
    }
  }
}

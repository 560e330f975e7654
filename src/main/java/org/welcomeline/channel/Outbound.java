package org.welcomeline.channel;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.welcomeline.channel.webchat.WebChatChannel;

/**
 * Sends one message outside a webhook answer, on the resident's own channel: SMS/WhatsApp through the
 * {@link Sender}, web chat over the event bus to the resident's open socket (on any instance once the
 * event bus is clustered). Used by staff replies and broadcasts. Blocking for SMS.
 */
public final class Outbound {
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

  /** Sends; {@code intent} tells the web chat what this is ("staff", "broadcast"). */
  public void send(String channel, String address, String text, String language, String intent)
      throws SendException {
    send(channel, address, text, language, intent, null);
  }

  /** As above, with an idempotency key for senders that deduplicate. */
  public void send(String channel, String address, String text, String language, String intent, String key)
      throws SendException {
    if (channel.equals(WebChatChannel.CHANNEL)) {
      String session = address.substring(address.indexOf(':') + 1);
      vertx.eventBus().publish(WebChatChannel.address(session), new JsonObject().put("type", "reply")
          .put("text", text).put("language", language).put("intent", intent)
          .put("dir", WebChatChannel.rtl(language) ? "rtl" : "ltr"));
    } else {
      sender.send(channel, address, text, key);
    }
  }
}

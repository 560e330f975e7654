package org.welcomeline.model;

/**
 * One message from a resident, as a channel hands it over.
 *
 * @param channel    channel name, e.g. {@code webchat} or {@code sms}
 * @param address    the resident's address on that channel (phone number, web-chat session)
 * @param text       the message text, never null (may be empty)
 * @param providerId the provider's id for idempotency (Twilio MessageSid, web-chat frame id); null if none
 * @param language   an explicit language choice that came with the message (picker), or null
 * @param media      number of attachments (photos...) that came with it
 * @param receivedAt epoch millis
 */
public record InboundMessage(String channel, String address, String text, String providerId,
                             String language, int media, long receivedAt) {
  public InboundMessage {
    if (channel == null || address == null) {
      throw new IllegalArgumentException("channel and address are required");
    }
    text = text == null ? "" : text;
  }

  /** A text-only message. */
  public InboundMessage(String channel, String address, String text, String providerId, String language,
                        long receivedAt) {
    this(channel, address, text, providerId, language, 0, receivedAt);
  }

  /** SMS-like channels get short answers paginated to the segment budget. */
  public boolean smsLike() {
    return channel.equals("sms") || channel.equals("whatsapp");
  }
}

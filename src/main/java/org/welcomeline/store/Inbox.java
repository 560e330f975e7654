package org.welcomeline.store;

import java.sql.SQLException;
import org.welcomeline.model.InboundMessage;

/**
 * The first step of every inbound message: find or create the contact and store the message,
 * encrypted, idempotent on the provider's id. Works before the models are trained, so a message
 * that arrives during start-up is kept and answered once the service is ready. Blocking.
 */
public final class Inbox {
  private final Database db;
  private final Crypto crypto;
  private final ContactStore contacts;
  private final MessageStore messages;

  /**
   * What storing found: the message row, its contact, whether this call created it, and, when it also
   * claimed it for processing in the same transaction, the contact as read then (else null).
   */
  public record Received(String messageId, String contactId, String addressHash, String status, boolean created,
                         ContactStore.Contact claimed) {
    public Received(String messageId, String contactId, String addressHash, String status, boolean created) {
      this(messageId, contactId, addressHash, status, created, null);
    }
  }

  public Inbox(Database db, Crypto crypto) {
    this.db = db;
    this.crypto = crypto;
    this.contacts = new ContactStore(crypto);
    this.messages = new MessageStore(crypto);
  }

  public Received store(InboundMessage m) throws SQLException {
    return store(m, false);
  }

  /**
   * Stores the message and, when it is new, claims it for processing in the same transaction (one
   * commit instead of two on the hot path).
   */
  public Received storeAndClaim(InboundMessage m) throws SQLException {
    return store(m, true);
  }

  private Received store(InboundMessage m, boolean claim) throws SQLException {
    String hash = crypto.hash(m.address());
    return db.tx(c -> {
      ContactStore.Contact contact = contacts.findOrCreate(c, hash, m.address(), m.channel(), m.receivedAt());
      MessageStore.Stored s = messages.storeInbound(c, m.providerId(), m.channel(), hash, contact.id(), m.text(),
          m.receivedAt());
      boolean claimed = claim && s.created() && messages.claim(c, s.id(), System.currentTimeMillis());
      return new Received(s.id(), contact.id(), hash, s.status(), s.created(), claimed ? contact : null);
    });
  }

  public Database db() {
    return db;
  }

  public Crypto crypto() {
    return crypto;
  }

  public ContactStore contacts() {
    return contacts;
  }

  public MessageStore messages() {
    return messages;
  }
}

package org.welcomeline.dialogue;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.List;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.model.Reply;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;
import org.welcomeline.store.MessageStore;

/**
 * One inbound message, start to finish: store it first (idempotent on the provider id), then in
 * one transaction find the contact, decide the answer, store the reply and the new state. A retry of
 * a processed message gets the stored reply; a failure leaves the message stored for a retry.
 * Blocking: call from a worker thread.
 */
public final class ConversationService {

  /** The outcome of handling one message. */
  public record Handled(Reply reply, boolean duplicate, String messageId) {
  }

  /** A duplicate of a message that is still being processed elsewhere. */
  public static final class InFlightException extends RuntimeException {
    public InFlightException() {
      super("the same message is being processed", null, false, false);
    }
  }

  private final Database db;
  private final Crypto crypto;
  private final ContactStore contacts;
  private final MessageStore messages;
  private final Dialogue dialogue;
  private final MeterRegistry metrics;

  public ConversationService(Database db, Crypto crypto, Dialogue dialogue, MeterRegistry metrics) {
    this.db = db;
    this.crypto = crypto;
    this.contacts = new ContactStore(crypto);
    this.messages = new MessageStore(crypto);
    this.dialogue = dialogue;
    this.metrics = metrics;
  }

  public Handled handle(InboundMessage m) throws SQLException {
    String hash = crypto.hash(m.address());
    long now = m.receivedAt();
    MessageStore.Stored stored = db.tx(c -> messages.storeInbound(c, m.providerId(), m.channel(), hash, m.text(), now));
    metrics.counter("welcomeline.messages.inbound", "channel", m.channel(),
        "duplicate", String.valueOf(!stored.created())).increment();
    if (!stored.created()) {
      MessageStore.StoredReply previous = db.tx(c -> messages.replyTo(c, stored.id()));
      if (previous != null) {
        return new Handled(fromStored(previous), true, stored.id());
      }
    }
    Handled handled = db.tx(c -> {
      if (!messages.claim(c, stored.id())) {
        MessageStore.StoredReply previous = messages.replyTo(c, stored.id());
        if (previous != null) {
          return new Handled(fromStored(previous), true, stored.id());
        }
        if (!stored.created()) {
          throw new InFlightException();
        }
        // processed without a reply (opted out): nothing to send again
        return new Handled(Reply.silent(null, "duplicate"), true, stored.id());
      }
      ContactStore.Contact contact = contacts.findOrCreate(c, hash, m.address(), m.channel(), now);
      Dialogue.Outcome o = dialogue.respond(contact.state(), m.text(), m.language(), m.channel());
      Reply reply = o.reply();
      String intent = reply.intent();
      if (intent.equals("command:stop") && !contact.optedOut()) {
        contacts.setOptedOut(c, contact.id(), true, m.channel(), now);
      } else if (intent.equals("command:start") && contact.optedOut()) {
        contacts.setOptedOut(c, contact.id(), false, m.channel(), now);
      } else if (contact.optedOut() && !intent.equals("command:stop")) {
        reply = Reply.silent(reply.language(), "opted_out");
      }
      contacts.saveState(c, contact.id(), o.state(), now);
      if (!reply.silent()) {
        messages.storeOutbound(c, m.channel(), hash, contact.id(), stored.id(), reply.text(), reply.language(),
            reply.intent(), null, null, "sent", now);
      }
      messages.markProcessed(c, stored.id(), contact.id(), reply.language(), intent, reply.confidence(), now);
      return new Handled(reply, false, stored.id());
    });
    if (!handled.duplicate()) {
      metrics.counter("welcomeline.replies", "channel", m.channel(), "intent", metricIntent(handled.reply().intent()),
          "language", String.valueOf(handled.reply().language())).increment();
    }
    return handled;
  }

  private static String metricIntent(String intent) {
    return intent == null ? "none" : intent;
  }

  private static Reply fromStored(MessageStore.StoredReply r) {
    return new Reply(r.text(), r.language(), r.intent(), 1.0, List.of(), false);
  }
}

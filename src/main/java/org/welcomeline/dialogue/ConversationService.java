package org.welcomeline.dialogue;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.List;
import org.welcomeline.content.Locales;
import org.welcomeline.content.SmsText;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.model.Reply;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Inbox;
import org.welcomeline.store.MessageStore;

/**
 * One inbound message, start to finish: store it first (idempotent on the provider id), then in
 * one transaction claim it, decide the answer, store the reply, the new state and any consent
 * change. A retry of a processed message gets the stored reply; a failure leaves the message stored
 * for the recovery job. Blocking: call from a worker thread.
 */
public final class ConversationService {

  /** The outcome of handling one message. */
  public record Handled(Reply reply, boolean duplicate, String messageId, String replyId) {
  }

  /** The message is stored, but answering it failed; the recovery job will try again. */
  public static final class ProcessingFailedException extends RuntimeException {
    public ProcessingFailedException(Throwable cause) {
      super("stored message could not be processed: " + cause.getClass().getSimpleName(), cause, false, false);
    }
  }

  /** A duplicate of a message that is still being processed elsewhere. */
  public static final class InFlightException extends RuntimeException {
    public InFlightException() {
      super("the same message is being processed", null, false, false);
    }
  }

  private final Inbox inbox;
  private final ContactStore contacts;
  private final MessageStore messages;
  private final Dialogue dialogue;
  private final Locales locales;
  private final RateLimiter limiter;
  private final MeterRegistry metrics;

  public ConversationService(Inbox inbox, Dialogue dialogue, Locales locales, RateLimiter limiter,
                             MeterRegistry metrics) {
    this.inbox = inbox;
    this.contacts = inbox.contacts();
    this.messages = inbox.messages();
    this.dialogue = dialogue;
    this.locales = locales;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  public Handled handle(InboundMessage m) throws SQLException {
    Inbox.Received stored = inbox.store(m);
    metrics.counter("welcomeline.messages.inbound", "channel", m.channel(),
        "duplicate", String.valueOf(!stored.created())).increment();
    if (!stored.created()) {
      MessageStore.StoredReply previous = inbox.db().tx(c -> messages.replyTo(c, stored.messageId()));
      if (previous != null) {
        return new Handled(fromStored(previous), true, stored.messageId(), null);
      }
    }
    try {
      return process(m, stored);
    } catch (InFlightException e) {
      throw e;
    } catch (SQLException | RuntimeException e) {
      throw new ProcessingFailedException(e);
    }
  }

  /** Processes a stored message (also used by the recovery job for messages left unprocessed). */
  public Handled process(InboundMessage m, Inbox.Received stored) throws SQLException {
    // SMS costs money per message and a flood can come from one number; the web chat is bounded per
    // socket instead (pending frames, frame size)
    RateLimiter.Decision rate = m.smsLike() ? limiter.check(stored.addressHash(), System.currentTimeMillis())
        : RateLimiter.Decision.ALLOW;
    Handled handled = inbox.db().tx(c -> {
      if (!messages.claim(c, stored.messageId())) {
        MessageStore.StoredReply previous = messages.replyTo(c, stored.messageId());
        if (previous != null) {
          return new Handled(fromStored(previous), true, stored.messageId(), null);
        }
        if (!stored.created()) {
          throw new InFlightException();
        }
        return new Handled(Reply.silent(null, "duplicate"), true, stored.messageId(), null);
      }
      long now = m.receivedAt();
      ContactStore.Contact contact = contacts.find(c, stored.addressHash());
      Dialogue.Outcome o;
      if (rate != RateLimiter.Decision.ALLOW) {
        String lang = contact.state().language() == null ? locales.defaultLanguage() : contact.state().language();
        Reply r = rate == RateLimiter.Decision.REFUSE_WITH_NOTICE
            ? new Reply(locales.format(lang, "rate_limited"), lang, "rate_limited", 1.0, List.of(), false)
            : Reply.silent(lang, "rate_limited");
        o = new Dialogue.Outcome(r, contact.state());
      } else {
        o = dialogue.respond(contact.state(), m);
      }
      Reply reply = o.reply();
      String intent = reply.intent();
      switch (intent) {
        case "command:stop" -> {
          if (!contact.optedOut()) {
            contacts.setOptedOut(c, contact.id(), true, m.channel(), now);
          }
        }
        case "command:start" -> {
          if (contact.optedOut()) {
            contacts.setOptedOut(c, contact.id(), false, m.channel(), now);
          }
        }
        case "command:subscribe" -> contacts.subscribe(c, contact.id(), o.topic(), m.channel(), now);
        case "command:unsubscribe" -> contacts.unsubscribe(c, contact.id(), o.topic(), m.channel(), now);
        default -> { }
      }
      if (contact.optedOut() && !intent.equals("command:start") && !intent.equals("command:stop")) {
        reply = Reply.silent(reply.language(), "opted_out");
      }
      contacts.saveState(c, contact.id(), o.state(), now);
      String replyId = null;
      if (!reply.silent()) {
        SmsText.Count count = m.smsLike() ? SmsText.count(reply.text()) : null;
        replyId = messages.storeOutbound(c, m.channel(), stored.addressHash(), contact.id(), stored.messageId(),
            reply.text(), reply.language(), reply.intent(), count == null ? null : count.segments(),
            count == null ? null : count.encoding().name(), "replied", now);
      }
      messages.markProcessed(c, stored.messageId(), contact.id(), reply.language(), intent, reply.confidence(), now);
      return new Handled(reply, false, stored.messageId(), replyId);
    });
    if (!handled.duplicate()) {
      metrics.counter("welcomeline.replies", "channel", m.channel(), "intent", String.valueOf(handled.reply().intent()),
          "language", String.valueOf(handled.reply().language())).increment();
    }
    return handled;
  }

  private static Reply fromStored(MessageStore.StoredReply r) {
    return new Reply(r.text(), r.language(), r.intent(), 1.0, List.of(), false);
  }
}

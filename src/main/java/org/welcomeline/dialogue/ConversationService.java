package org.welcomeline.dialogue;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.welcomeline.content.Locales;
import org.welcomeline.content.SmsText;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.model.Reply;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Inbox;
import org.welcomeline.needs.Scrubber;
import org.welcomeline.store.MessageStore;
import org.welcomeline.store.Needs;

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
  private final Needs needs;
  private final ContactStore contacts;
  private final MessageStore messages;
  private final Dialogue dialogue;
  private final Locales locales;
  private final RateLimiter limiter;
  private final MeterRegistry metrics;
  private final int retentionDays;
  private final java.util.function.Consumer<String> needChanged;

  public ConversationService(Inbox inbox, Dialogue dialogue, Locales locales, RateLimiter limiter,
                             MeterRegistry metrics, int retentionDays) {
    this(inbox, dialogue, locales, limiter, metrics, retentionDays, id -> { });
  }

  /** As above; {@code needChanged} hears the id of each report created or completed by chat (live dashboard). */
  public ConversationService(Inbox inbox, Dialogue dialogue, Locales locales, RateLimiter limiter,
                             MeterRegistry metrics, int retentionDays, java.util.function.Consumer<String> needChanged) {
    this.needChanged = needChanged;
    this.retentionDays = retentionDays;
    this.inbox = inbox;
    this.contacts = inbox.contacts();
    this.messages = inbox.messages();
    this.needs = new Needs(inbox.crypto());
    this.dialogue = dialogue;
    this.locales = locales;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /** What was sent to {@code address} while the resident had no chat open; now marked delivered. Blocking. */
  public List<Reply> takeWaiting(String address) throws SQLException {
    String hash = inbox.crypto().hash(address);
    return inbox.db().tx(c -> messages.takeWaiting(c, hash)).stream()
        .map(ConversationService::fromStored).toList();
  }

  public Handled handle(InboundMessage m) throws SQLException {
    Inbox.Received stored = inbox.storeAndClaim(m);
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

  /** What claiming found: the contact to answer, or an earlier outcome (duplicate, in flight). */
  private record Claim(ContactStore.Contact contact, Handled earlier) {
  }

  /**
   * Processes a stored message (also used by the recovery job for messages left unprocessed): claim it,
   * decide the answer outside any transaction (the NLU must not hold the database), then store the
   * reply, state and consent changes in one transaction. Messages of one resident are processed one
   * at a time in this instance (a lock stripe per address hash), so state updates do not race.
   */
  public Handled process(InboundMessage m, Inbox.Received stored) throws SQLException {
    synchronized (stripe(stored.addressHash())) {
      Claim claim = stored.claimed() != null ? new Claim(stored.claimed(), null) : inbox.db().tx(c -> claim(c, stored));
      if (claim.earlier() != null) {
        return claim.earlier();
      }
      try {
        return answer(m, stored, claim.contact());
      } catch (SQLException | RuntimeException e) {
        try {
          inbox.db().tx(c -> {
            messages.release(c, stored.messageId()); // back to 'received': the recovery job retries it
            return null;
          });
        } catch (SQLException | RuntimeException ignored) {
          // the claim's lease expires and recovery takes it over
        }
        throw e;
      }
    }
  }

  private final Object[] stripes = newStripes(256);

  private static Object[] newStripes(int n) {
    Object[] a = new Object[n];
    for (int i = 0; i < n; i++) {
      a[i] = new Object();
    }
    return a;
  }

  private Object stripe(String addressHash) {
    return stripes[Math.floorMod(addressHash.hashCode(), stripes.length)];
  }

  private Claim claim(java.sql.Connection c, Inbox.Received stored) throws SQLException {
    if (!messages.claim(c, stored.messageId(), System.currentTimeMillis())) {
      MessageStore.StoredReply previous = messages.replyTo(c, stored.messageId());
      if (previous != null) {
        return new Claim(null, new Handled(fromStored(previous), true, stored.messageId(), null));
      }
      if (!stored.created()) {
        throw new InFlightException();
      }
      return new Claim(null, new Handled(Reply.silent(null, "duplicate"), true, stored.messageId(), null));
    }
    return new Claim(contacts.find(c, stored.addressHash()), null);
  }

  private Handled answer(InboundMessage m, Inbox.Received stored, ContactStore.Contact contact) throws SQLException {
    // SMS costs money per message and a flood can come from one number; the web chat is bounded per
    // socket and per address instead
    RateLimiter.Decision rate = m.smsLike() ? limiter.check(stored.addressHash(), System.currentTimeMillis())
        : RateLimiter.Decision.ALLOW;
    long now = m.receivedAt();
    Dialogue.Outcome decided;
    if (rate != RateLimiter.Decision.ALLOW) {
      String lang = contact.state().language() == null ? locales.defaultLanguage() : contact.state().language();
      Reply r = rate == RateLimiter.Decision.REFUSE_WITH_NOTICE
          ? new Reply(locales.format(lang, "rate_limited"), lang, "rate_limited", 1.0, List.of(), false)
          : Reply.silent(lang, "rate_limited");
      decided = new Dialogue.Outcome(r, contact.state());
    } else {
      decided = dialogue.respond(contact.state(), m);
      String intent = decided.reply().intent();
      boolean rights = intent.equals("command:stop") || intent.equals("command:start")
          || intent.equals("command:forget") || intent.equals("command:mydata");
      if (contact.state().handoff() && !rights) {
        // a person has the conversation: the bot stays quiet; staff read this message in the inbox
        decided = new Dialogue.Outcome(Reply.silent(contact.state().language(), "handoff:waiting"), contact.state());
      } else if (!decided.state().handoff() && decided.state().failures() >= 2
          && org.welcomeline.nlu.TextNormalizer.tokens(m.text() == null ? "" : m.text()).size() >= 2) {
        // the bot failed twice in a row, the second time on a real question (not "ok" or an emoji):
        // a person takes over
        Reply r = decided.reply();
        String lang = r.language() == null ? locales.defaultLanguage() : r.language();
        decided = new Dialogue.Outcome(new Reply(r.text() + "\n" + locales.format(lang, "human.handoff"), r.language(),
            r.intent(), r.confidence(), r.options(), false), decided.state().withFailures(0).withHandoff(true),
            decided.topic());
      }
    }
    Dialogue.Outcome o = decided;
    Handled handled = inbox.db().tx(c -> {
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
        case "command:subscribe" -> contacts.subscribe(c, contact.id(), o.topic(), o.district(), m.channel(), now);
        case "command:unsubscribe" -> contacts.unsubscribe(c, contact.id(), o.topic(), m.channel(), now);
        default -> { }
      }
      reply = reportStep(c, o, reply, contact.id(), now);
      if (intent.equals("command:forget")) {
        // erasure: nothing about this resident stays, not even this message or the confirmation
        contacts.erase(c, contact.id(), stored.addressHash());
        return new Handled(reply, false, stored.messageId(), null);
      }
      if (intent.equals("command:mydata")) {
        String lang = reply.language() == null ? locales.defaultLanguage() : reply.language();
        List<ContactStore.Subscription> topics = contacts.subscriptions(c, contact.id());
        String names = topics.isEmpty() ? locales.format(lang, "mydata.no_topics") : topicNames(lang, topics);
        String text = locales.format(lang, "mydata.reply", "language", locales.format(lang, "language.name"),
            "messages", contacts.messageCount(c, contact.id()), "days", retentionDays, "topics", names);
        reply = new Reply(text, reply.language(), intent, 1.0, List.of(), false);
      }
      if (intent.equals("command:myalerts")) {
        String lang = reply.language() == null ? locales.defaultLanguage() : reply.language();
        List<ContactStore.Subscription> topics = contacts.subscriptions(c, contact.id());
        String text = topics.isEmpty() ? locales.format(lang, "subscriptions.none")
            : locales.format(lang, "subscriptions.list", "topics", topicNames(lang, topics));
        reply = new Reply(text, reply.language(), intent, 1.0, List.of(), false);
      }
      if (contact.optedOut() && !intent.equals("command:start") && !intent.equals("command:stop")
          && !intent.equals("command:mydata")) {
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
    if (!handled.duplicate() && o.data().containsKey("need")
        && (o.reply().intent().equals("report:created") || o.reply().intent().equals("report:done"))) {
      needChanged.accept(o.data().get("need"));
    }
    if (!handled.duplicate()) {
      metrics.counter("welcomeline.replies", "channel", m.channel(), "intent", String.valueOf(handled.reply().intent()),
          "language", String.valueOf(handled.reply().language())).increment();
    }
    return handled;
  }

  /** Writes what the report flow decided and fills in the answers that need the database. */
  private Reply reportStep(java.sql.Connection c, Dialogue.Outcome o, Reply reply, String contactId, long now)
      throws SQLException {
    Map<String, String> d = o.data();
    String lang = reply.language() == null ? locales.defaultLanguage() : reply.language();
    switch (reply.intent()) {
      case "report:created" -> needs.create(c, d.get("need"), new Needs.NewNeed("resident", null, contactId, null,
          d.get("topic"), lang, null, null, null, d.get("text"), Scrubber.scrub(d.get("text"))), now);
      case "report:district" -> {
        if (d.containsKey("district")) {
          needs.detail(c, d.get("need"), "district", d.get("district"), now);
        }
      }
      case "report:people" -> {
        if (d.containsKey("people")) {
          needs.detail(c, d.get("need"), "people", Integer.valueOf(d.get("people")), now);
        }
      }
      case "report:done" -> {
        if (d.containsKey("urgency")) {
          needs.detail(c, d.get("need"), "urgency", d.get("urgency"), now);
        }
        Needs.Need need = needs.find(c, d.get("need"));
        String text = need == null ? locales.format(lang, "report.cancelled")
            : locales.format(lang, "report.done", "code", need.code());
        return new Reply(text, reply.language(), reply.intent(), 1.0, List.of(), false);
      }
      case "command:report_status" -> {
        Needs.Need need = needs.findByCode(c, d.get("code"));
        String text = need == null ? locales.format(lang, "report.not_found", "code", d.get("code"))
            : locales.format(lang, "report.status", "code", need.code(), "status",
                locales.format(lang, "report.status." + need.status()));
        return new Reply(text, reply.language(), reply.intent(), 1.0, List.of(), false);
      }
      default -> { }
    }
    return reply;
  }

  private String topicNames(String lang, List<ContactStore.Subscription> topics) {
    return String.join(", ", topics.stream().map(t -> locales.format(lang, "topic." + t.topic())
        + (t.district() == null ? "" : " (" + locales.district(lang, t.district()) + ")")).toList());
  }

  private static Reply fromStored(MessageStore.StoredReply r) {
    return new Reply(r.text(), r.language(), r.intent(), 1.0, List.of(), false);
  }
}

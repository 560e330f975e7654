package org.welcomeline.channel;

import java.sql.PreparedStatement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.welcomeline.dialogue.ConversationService;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.store.Inbox;
import org.welcomeline.store.MessageStore;

/**
 * Answers inbound messages that were stored but not processed: those that arrived while the models
 * were still training, or whose processing failed or was cut by a crash. SMS answers go out through
 * the {@link Sender} (the webhook that brought them has long been answered); web-chat answers are
 * stored for the client's resend. Blocking: run on a worker.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  static final int MAX_ATTEMPTS = 5;

  private final Inbox inbox;
  private final ConversationService service;
  private final Sender sender;
  private final Retry.Policy policy;
  private final Retry.Sleeper sleeper;

  public Recovery(Inbox inbox, ConversationService service, Sender sender, Retry.Policy policy, Retry.Sleeper sleeper) {
    this.inbox = inbox;
    this.service = service;
    this.sender = sender;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  /** Processes up to 100 messages stored before {@code before}; returns how many were answered. */
  public int run(long before) throws Exception {
    MessageStore messages = inbox.messages();
    List<MessageStore.Pending> pending = inbox.db().tx(c -> messages.stale(c, before, MAX_ATTEMPTS, 100));
    int answered = 0;
    for (MessageStore.Pending p : pending) {
      inbox.db().tx(c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET attempts = attempts + 1 WHERE id = ?")) {
          ps.setString(1, p.id());
          return ps.executeUpdate();
        }
      });
      String address = inbox.db().tx(c -> inbox.contacts().address(c, p.contactId()));
      if (address == null) {
        continue;
      }
      InboundMessage m = new InboundMessage(p.channel(), address, p.body(), p.providerId(), null,
          System.currentTimeMillis());
      try {
        ConversationService.Handled h = service.process(m,
            new Inbox.Received(p.id(), p.contactId(), inbox.crypto().hash(address), "received", true));
        if (!h.duplicate() && !h.reply().silent() && m.smsLike() && h.replyId() != null) {
          deliver(m, h);
        }
        answered++;
      } catch (ConversationService.InFlightException e) {
        // someone else has it
      } catch (Exception e) {
        LOG.warn("recovery of a stored message failed ({}); will retry", e.getClass().getSimpleName());
      }
    }
    return answered;
  }

  private void deliver(InboundMessage m, ConversationService.Handled h) throws Exception {
    String status;
    String providerId = null;
    try {
      providerId = sender.name() + ":" + Retry.send(sender, m.channel(), m.address(), h.reply().text(), policy, sleeper);
      status = "sent";
    } catch (SendException e) {
      status = "failed";
      if (e.kind() == SendException.Kind.OPTED_OUT) {
        inbox.db().tx(c -> {
          inbox.contacts().setOptedOut(c, h.replyId() == null ? null : contactOf(c, h.replyId()), true, m.channel(),
              System.currentTimeMillis());
          return null;
        });
      }
    }
    final String pid = providerId;
    final String st = status;
    inbox.db().tx(c -> {
      inbox.messages().sent(c, h.replyId(), pid, st);
      return null;
    });
  }

  private static String contactOf(java.sql.Connection c, String messageId) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT contact_id FROM messages WHERE id = ?")) {
      ps.setString(1, messageId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}

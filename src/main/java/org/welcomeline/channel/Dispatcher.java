package org.welcomeline.channel;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.welcomeline.store.Broadcasts;
import org.welcomeline.store.Inbox;

/**
 * Sends queued broadcast deliveries, emergencies first, a bounded number per call (the caller paces the
 * calls). Each delivery is claimed ('sending') before the provider is called and marked after. After a
 * crash, a delivery left 'sending' is sent again only when the sender deduplicates by key (the local
 * outbox: exactly once); with a provider that cannot (Twilio) it becomes 'unknown' — at most once, as a
 * duplicated alert is worse than a reported gap. Opt-outs are checked at send time. Temporary failures
 * (5xx, timeouts, 429) are retried with exponential backoff up to {@link #MAX_ATTEMPTS} tries; a carrier
 * opt-out marks the contact opted out; an invalid address or any other refusal fails at once. Blocking.
 */
public final class Dispatcher {
  /** Tries per delivery for temporary failures (5xx, timeouts, 429) before it counts as failed. */
  public static final int MAX_ATTEMPTS = 5;
  /** Backoff after the n-th temporary failure: base × 2^(n-1), at most 5 minutes. */
  static long backoffMs(long base, int attempts) {
    return Math.min(300_000L, base << Math.min(20, Math.max(0, attempts - 1)));
  }

  private final long retryBaseMs;

  private final Inbox inbox;
  private final Outbound outbound;
  private final Broadcasts broadcasts;
  /** The SMS footer ("Reply STOP to stop.") in a language. */
  private final Function<String, String> footer;

  public Dispatcher(Inbox inbox, Outbound outbound, Broadcasts broadcasts, Function<String, String> footer) {
    this(inbox, outbound, broadcasts, footer, 1000);
  }

  /** As above with the first retry's delay ({@code broadcast_retry_base_ms}). */
  public Dispatcher(Inbox inbox, Outbound outbound, Broadcasts broadcasts, Function<String, String> footer,
                    long retryBaseMs) {
    this.retryBaseMs = retryBaseMs;
    this.inbox = inbox;
    this.outbound = outbound;
    this.broadcasts = broadcasts;
    this.footer = footer;
  }

  /** After a restart of the only instance: every delivery left 'sending' was interrupted. */
  public int recoverInterrupted() throws SQLException {
    return recoverInterrupted(Long.MAX_VALUE);
  }

  /**
   * Deliveries claimed before {@code claimedBefore} and still 'sending' belong to an instance that died
   * (a live one finishes a send in seconds): re-queued when the sender deduplicates, else 'unknown'.
   * In a cluster this runs periodically with a lease age, so nobody touches another's in-flight sends.
   */
  public int recoverInterrupted(long claimedBefore) throws SQLException {
    return inbox.db().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE deliveries SET status = ? WHERE status = 'sending' AND updated_at < ?")) {
        ps.setString(1, outbound.idempotent() ? "queued" : "unknown");
        ps.setLong(2, claimedBefore);
        return ps.executeUpdate();
      }
    });
  }

  /** Sends up to {@code max} deliveries (after starting scheduled broadcasts that are due); returns how many. */
  public int dispatch(int max) throws SQLException {
    for (String id : broadcasts.due(System.currentTimeMillis())) {
      Broadcasts.Broadcast b = broadcasts.find(id);
      if (b != null && b.status().equals("scheduled")) {
        broadcasts.start(b, System.currentTimeMillis());
      }
    }
    List<String[]> due = inbox.db().tx(c -> {
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT d.broadcast_id, d.contact_id, d.language "
          + "FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id "
          + "WHERE d.status = 'queued' AND b.status = 'sending' AND d.not_before <= ? "
          + "ORDER BY b.emergency DESC, b.created_at LIMIT ?")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setInt(2, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          }
        }
      }
      return rows;
    });
    java.util.Map<String, Broadcasts.Broadcast> cache = new java.util.concurrent.ConcurrentHashMap<>();
    List<java.util.concurrent.Callable<Void>> jobs = new ArrayList<>();
    for (String[] d : due) {
      jobs.add(() -> {
        deliver(d[0], d[1], d[2], cache);
        return null;
      });
    }
    try {
      // a few provider calls in flight at once: one at a time caps the rate at 1 / round-trip
      for (java.util.concurrent.Future<Void> f : parallel.invokeAll(jobs)) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IllegalStateException(e.getCause());
    }
    finishSent();
    return due.size();
  }

  private final java.util.concurrent.ExecutorService parallel = java.util.concurrent.Executors.newFixedThreadPool(4,
      r -> {
        Thread t = new Thread(r, "welcomeline-dispatch");
        t.setDaemon(true);
        return t;
      });

  private void deliver(String broadcastId, String contactId, String language,
                       java.util.Map<String, Broadcasts.Broadcast> cache) throws SQLException {
    long now = System.currentTimeMillis();
    String[] target = inbox.db().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = 'sending', attempts = "
          + "attempts + 1, updated_at = ? WHERE broadcast_id = ? AND contact_id = ? AND status = 'queued'")) {
        ps.setLong(1, now);
        ps.setString(2, broadcastId);
        ps.setString(3, contactId);
        if (ps.executeUpdate() != 1) {
          return null; // another worker or instance has it
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT k.channel, k.opted_out, k.address_hash, d.attempts "
          + "FROM contacts k JOIN deliveries d ON d.contact_id = k.id AND d.broadcast_id = ? WHERE k.id = ?")) {
        ps.setString(1, broadcastId);
        ps.setString(2, contactId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return new String[] {"gone"};
          }
          return new String[] {rs.getString(1), String.valueOf(rs.getInt(2)), rs.getString(3),
              inbox.contacts().address(c, contactId), String.valueOf(rs.getInt(4))};
        }
      }
    });
    if (target == null) {
      return;
    }
    String status;
    String errorCode = null;
    long notBefore = 0;
    boolean carrierOptOut = false;
    String messageStatus = "sent";
    String providerId = null;
    String text = null;
    if (target.length == 1 || target[1].equals("1")) {
      status = "skipped"; // opted out (or erased) since the broadcast was composed
    } else {
      Broadcasts.Broadcast b = cache.get(broadcastId);
      if (b == null) {
        b = broadcasts.find(broadcastId);
        cache.put(broadcastId, b);
      }
      text = b.texts().get(language);
      if (!target[0].equals("webchat")) {
        text = text + "\n" + footer.apply(language);
      }
      try {
        Outbound.Sent sent = outbound.send(target[0], target[3], text, language, "broadcast",
            "broadcast:" + broadcastId + ":" + contactId);
        messageStatus = sent.status();
        providerId = sent.providerId();
        status = "sent";
      } catch (SendException e) {
        errorCode = e.code() == null ? e.kind().name().toLowerCase() : e.code();
        int attempts = Integer.parseInt(target[4]);
        switch (e.kind()) {
          case RETRYABLE, THROTTLED -> {
            status = attempts >= MAX_ATTEMPTS ? "failed" : "queued";
            notBefore = System.currentTimeMillis() + backoffMs(retryBaseMs, attempts);
          }
          case OPTED_OUT -> {
            status = "skipped";
            carrierOptOut = true;
          }
          default -> status = "failed"; // invalid address or a refusal: never retried
        }
      }
    }
    String finalStatus = status;
    String finalError = errorCode;
    long finalNotBefore = notBefore;
    boolean finalOptOut = carrierOptOut;
    String sentText = text;
    String finalMessageStatus = messageStatus;
    String finalProviderId = providerId;
    inbox.db().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = ?, updated_at = ?, "
          + "not_before = ?, error_code = ? WHERE broadcast_id = ? AND contact_id = ?")) {
        ps.setString(1, finalStatus);
        ps.setLong(2, System.currentTimeMillis());
        ps.setLong(3, finalNotBefore);
        ps.setString(4, finalError);
        ps.setString(5, broadcastId);
        ps.setString(6, contactId);
        ps.executeUpdate();
      }
      if (finalOptOut) {
        // the carrier says this number opted out (Twilio 21610): record it like a STOP
        inbox.contacts().setOptedOut(c, contactId, true, target[0], System.currentTimeMillis());
      }
      if (finalStatus.equals("sent")) {
        // reply_to names the broadcast; the provider id lets delivery receipts update this message
        inbox.messages().storeSent(c, target[0], target[2], contactId, broadcastId, sentText, language, "broadcast",
            finalMessageStatus, finalProviderId, now);
      }
      return null;
    });
  }

  private void finishSent() throws SQLException {
    inbox.db().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE broadcasts SET status = 'sent', updated_at = ? "
          + "WHERE status = 'sending' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.broadcast_id = broadcasts.id "
          + "AND d.status IN ('queued', 'sending'))")) {
        ps.setLong(1, System.currentTimeMillis());
        return ps.executeUpdate();
      }
    });
  }
}

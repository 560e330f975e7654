package org.welcomeline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Inbound and outbound messages. Bodies are encrypted; an inbound message is unique on its
 * provider id, so a provider's retry finds the first copy instead of creating a second.
 */
public final class MessageStore {
  private static final String INSERT_IN = "INSERT INTO messages (id, provider_id, direction, channel, address_hash, "
      + "contact_id, body_enc, status, created_at) VALUES (?, ?, 'in', ?, ?, ?, ?, 'received', ?) "
      + "ON CONFLICT (provider_id) DO NOTHING";
  private static final String UPDATE_STATUS = "UPDATE messages SET status = ?, error_code = ? "
      + "WHERE provider_id = ? AND direction = 'out'";
  private static final String SET_PROVIDER_ID = "UPDATE messages SET provider_id = ?, status = ? WHERE id = ?";
  private static final String STALE = "SELECT id, channel, contact_id FROM messages WHERE direction = 'in' "
      + "AND ((status = 'received' AND created_at < ?) OR (status = 'processing' AND claimed_at < ?)) "
      + "AND attempts < ? ORDER BY created_at LIMIT ?";
  private static final String BODY = "SELECT body_enc, provider_id FROM messages WHERE id = ?";
  private static final String BY_PROVIDER = "SELECT id, status FROM messages WHERE provider_id = ?";
  private static final String CLAIM = "UPDATE messages SET status = 'processing', attempts = attempts + 1, "
      + "claimed_at = ? WHERE id = ? AND (status = 'received' OR (status = 'processing' AND claimed_at < ?))";
  /** How long a claim holds: after it, a message left 'processing' (a crashed instance) is taken again. */
  public static final long LEASE_MS = 120_000;
  private static final String DONE_IN = "UPDATE messages SET status = 'processed', contact_id = ?, language = ?, "
      + "intent = ?, confidence = ?, processed_at = ? WHERE id = ?";
  private static final String FAILED_IN = "UPDATE messages SET status = 'received' WHERE id = ? AND status = 'processing'";
  private static final String INSERT_OUT = "INSERT INTO messages (id, direction, channel, address_hash, contact_id, "
      + "reply_to, body_enc, language, intent, segments, encoding, status, created_at) "
      + "VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String REPLY_OF = "SELECT body_enc, language, intent, confidence, status FROM messages "
      + "WHERE reply_to = ? AND direction = 'out' ORDER BY created_at LIMIT 1";

  /** A stored inbound message: its id and whether this call created it. */
  public record Stored(String id, String status, boolean created) {
  }

  /** A stored reply, decrypted. */
  public record StoredReply(String text, String language, String intent, String status) {
  }

  private final Crypto crypto;

  public MessageStore(Crypto crypto) {
    this.crypto = crypto;
  }

  /** Stores an inbound message (idempotent on {@code providerId}). */
  public Stored storeInbound(Connection c, String providerId, String channel, String addressHash, String body,
                             long now) throws SQLException {
    return storeInbound(c, providerId, channel, addressHash, null, body, now);
  }

  /** Stores an inbound message of a known contact (idempotent on {@code providerId}). */
  public Stored storeInbound(Connection c, String providerId, String channel, String addressHash, String contactId,
                             String body, long now) throws SQLException {
    String id = Ids.next();
    int n;
    try (PreparedStatement ps = c.prepareStatement(INSERT_IN)) {
      ps.setString(1, id);
      ps.setString(2, providerId);
      ps.setString(3, channel);
      ps.setString(4, addressHash);
      ps.setString(5, contactId);
      ps.setString(6, crypto.encrypt(body));
      ps.setLong(7, now);
      n = ps.executeUpdate();
    }
    if (n == 1) {
      return new Stored(id, "received", true);
    }
    try (PreparedStatement ps = c.prepareStatement(BY_PROVIDER)) {
      ps.setString(1, providerId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("message vanished after a duplicate insert");
        }
        return new Stored(rs.getString(1), rs.getString(2), false);
      }
    }
  }

  /** Takes an inbound message for processing; false if another worker has it or it is done. */
  public boolean claim(Connection c, String id) throws SQLException {
    return claim(c, id, System.currentTimeMillis());
  }

  /** As {@link #claim(Connection, String)}, at {@code now}: an expired claim (older than the lease) is taken over. */
  public boolean claim(Connection c, String id, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.setLong(3, now - LEASE_MS);
      return ps.executeUpdate() == 1;
    }
  }

  public void release(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FAILED_IN)) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  public void markProcessed(Connection c, String id, String contactId, String language, String intent,
                            double confidence, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DONE_IN)) {
      ps.setString(1, contactId);
      ps.setString(2, language);
      ps.setString(3, intent);
      ps.setDouble(4, confidence);
      ps.setLong(5, now);
      ps.setString(6, id);
      ps.executeUpdate();
    }
  }

  /** Stores an outbound message; returns its id. */
  public String storeOutbound(Connection c, String channel, String addressHash, String contactId, String replyTo,
                              String body, String language, String intent, Integer segments, String encoding,
                              String status, long now) throws SQLException {
    String id = Ids.next();
    try (PreparedStatement ps = c.prepareStatement(INSERT_OUT)) {
      ps.setString(1, id);
      ps.setString(2, channel);
      ps.setString(3, addressHash);
      ps.setString(4, contactId);
      ps.setString(5, replyTo);
      ps.setString(6, crypto.encrypt(body));
      ps.setString(7, language);
      ps.setString(8, intent);
      if (segments == null) {
        ps.setNull(9, java.sql.Types.INTEGER);
      } else {
        ps.setInt(9, segments);
      }
      ps.setString(10, encoding);
      ps.setString(11, status);
      ps.setLong(12, now);
      ps.executeUpdate();
    }
    return id;
  }

  /** An inbound message the bot could not place: its language and (until retention) its text. */
  public record Unplaced(String language, String text) {
  }

  /** Messages answered with "not understood" since {@code since}, newest first, at most {@code limit}. */
  public java.util.List<Unplaced> notUnderstood(Connection c, long since, int limit) throws SQLException {
    java.util.List<Unplaced> out = new java.util.ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT language, body_enc FROM messages WHERE direction = 'in' "
        + "AND intent = 'menu:not_understood' AND created_at >= ? ORDER BY created_at DESC LIMIT ?")) {
      ps.setLong(1, since);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Unplaced(rs.getString(1), rs.getString(2) == null ? null : crypto.decrypt(rs.getString(2))));
        }
      }
    }
    return out;
  }

  /**
   * A message sent outside a webhook answer (staff reply, broadcast, report update), with its SMS
   * segment count and the provider's id, so the provider's delivery receipts find it.
   */
  public String storeSent(Connection c, String channel, String addressHash, String contactId, String replyTo,
                          String text, String language, String intent, String status, String providerId, long now)
      throws SQLException {
    org.welcomeline.content.SmsText.Count count = "webchat".equals(channel) ? null
        : org.welcomeline.content.SmsText.count(text);
    String id = storeOutbound(c, channel, addressHash, contactId, replyTo, text, language, intent,
        count == null ? null : count.segments(), count == null ? null : count.encoding().name(), status, now);
    if (providerId != null) {
      sent(c, id, providerId, status);
    }
    return id;
  }

  /** Applies a provider's delivery status to the outbound message it sent; false if unknown. */
  public boolean updateStatus(Connection c, String providerId, String status, String errorCode) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPDATE_STATUS)) {
      ps.setString(1, status);
      ps.setString(2, errorCode);
      ps.setString(3, providerId);
      return ps.executeUpdate() > 0;
    }
  }

  /** Records the provider's id and status of an outbound message after sending. */
  public void sent(Connection c, String id, String providerId, String status) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SET_PROVIDER_ID)) {
      ps.setString(1, providerId);
      ps.setString(2, status);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  /** A stored inbound message not yet processed. */
  public record Pending(String id, String channel, String contactId, String providerId, String body) {
  }

  /** Inbound messages stored before {@code before} and still unprocessed (e.g. after a crash). */
  public java.util.List<Pending> stale(Connection c, long before, int maxAttempts, int limit) throws SQLException {
    java.util.List<String[]> rows = new java.util.ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(STALE)) {
      ps.setLong(1, before);
      ps.setLong(2, System.currentTimeMillis() - LEASE_MS);
      ps.setInt(3, maxAttempts);
      ps.setInt(4, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
    }
    java.util.List<Pending> out = new java.util.ArrayList<>();
    for (String[] r : rows) {
      try (PreparedStatement ps = c.prepareStatement(BODY)) {
        ps.setString(1, r[0]);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.add(new Pending(r[0], r[1], r[2], rs.getString(2), crypto.decrypt(rs.getString(1))));
          }
        }
      }
    }
    return out;
  }

  /** The reply already given to an inbound message, if any. */
  public StoredReply replyTo(Connection c, String inboundId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REPLY_OF)) {
      ps.setString(1, inboundId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new StoredReply(crypto.decrypt(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(5));
      }
    }
  }

  /**
   * Messages sent to a web-chat resident while no chat was open (status {@code waiting}), oldest first;
   * marks them {@code delivered}.
   */
  public java.util.List<StoredReply> takeWaiting(Connection c, String addressHash) throws SQLException {
    java.util.List<StoredReply> out = new java.util.ArrayList<>();
    java.util.List<String> ids = new java.util.ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, body_enc, language, intent FROM messages "
        + "WHERE address_hash = ? AND direction = 'out' AND status = 'waiting' ORDER BY created_at, id")) {
      ps.setString(1, addressHash);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          out.add(new StoredReply(crypto.decrypt(rs.getString(2)), rs.getString(3), rs.getString(4), "delivered"));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET status = 'delivered' WHERE id = ?")) {
      for (String id : ids) {
        ps.setString(1, id);
        ps.addBatch();
      }
      if (!ids.isEmpty()) {
        ps.executeBatch();
      }
    }
    return out;
  }
}

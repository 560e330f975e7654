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
      + "body_enc, status, created_at) VALUES (?, ?, 'in', ?, ?, ?, 'received', ?) ON CONFLICT (provider_id) DO NOTHING";
  private static final String BY_PROVIDER = "SELECT id, status FROM messages WHERE provider_id = ?";
  private static final String CLAIM = "UPDATE messages SET status = 'processing', attempts = attempts + 1 "
      + "WHERE id = ? AND status = 'received'";
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
    String id = Ids.next();
    int n;
    try (PreparedStatement ps = c.prepareStatement(INSERT_IN)) {
      ps.setString(1, id);
      ps.setString(2, providerId);
      ps.setString(3, channel);
      ps.setString(4, addressHash);
      ps.setString(5, crypto.encrypt(body));
      ps.setLong(6, now);
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
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setString(1, id);
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
}

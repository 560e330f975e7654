package org.welcomeline.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.welcomeline.dialogue.ConversationState;

/** Residents, found by keyed hash of their address; the address itself is stored encrypted. */
public final class ContactStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIND = "SELECT id, channel, language, opted_out, district, state FROM contacts WHERE address_hash = ?";
  private static final String INSERT = "INSERT INTO contacts (id, address_hash, address_enc, channel, created_at, updated_at) "
      + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (address_hash) DO NOTHING";
  private static final String SAVE_STATE = "UPDATE contacts SET language = ?, state = ?, updated_at = ?, "
      + "handoff_since = CASE WHEN ? = 1 THEN COALESCE(handoff_since, ?) ELSE NULL END WHERE id = ?";
  private static final String SET_OPT_OUT = "UPDATE contacts SET opted_out = ?, updated_at = ? WHERE id = ?";
  private static final String CONSENT = "INSERT INTO consent_log (id, contact_id, action, topic, channel, at) VALUES (?, ?, ?, ?, ?, ?)";

  /** A stored contact. */
  public record Contact(String id, String channel, String language, boolean optedOut, String district,
                        ConversationState state) {
  }

  private final Crypto crypto;

  public ContactStore(Crypto crypto) {
    this.crypto = crypto;
  }

  /** Finds the contact for this address hash, creating it (with the encrypted address) if new. */
  public Contact findOrCreate(Connection c, String addressHash, String address, String channel, long now)
      throws SQLException {
    Contact found = find(c, addressHash);
    if (found != null) {
      return found;
    }
    for (String old : crypto.previousHashes(address)) {
      // written before a key rotation and not yet re-keyed by the background job: re-key it now
      Contact before = find(c, old);
      if (before != null) {
        rekey(c, before.id(), old, addressHash, address);
        return find(c, addressHash);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, Ids.next());
      ps.setString(2, addressHash);
      ps.setString(3, crypto.encrypt(address));
      ps.setString(4, channel);
      ps.setLong(5, now);
      ps.setLong(6, now);
      ps.executeUpdate();
    }
    return find(c, addressHash);
  }

  public Contact find(Connection c, String addressHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIND)) {
      ps.setString(1, addressHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Contact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0,
            rs.getString(5), readState(rs.getString(6)));
      }
    }
  }

  public void saveState(Connection c, String contactId, ConversationState state, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SAVE_STATE)) {
      ps.setString(1, state.language());
      ps.setString(2, writeState(state));
      ps.setLong(3, now);
      ps.setInt(4, state.handoff() ? 1 : 0);
      ps.setLong(5, now);
      ps.setString(6, contactId);
      ps.executeUpdate();
    }
  }

  /** One subscription: a topic, for one district or (null) the whole city. */
  public record Subscription(String topic, String district) {
  }

  /** Subscribes to a topic for the whole city (idempotent) and records the consent change. */
  public void subscribe(Connection c, String contactId, String topic, String channel, long now) throws SQLException {
    subscribe(c, contactId, topic, null, channel, now);
  }

  /** Subscribes to a topic in one district (null: the whole city); a second call changes the district. */
  public void subscribe(Connection c, String contactId, String topic, String district, String channel, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscriptions (contact_id, topic, district, created_at) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT (contact_id, topic) DO UPDATE SET district = excluded.district")) {
      ps.setString(1, contactId);
      ps.setString(2, topic);
      ps.setString(3, district);
      ps.setLong(4, now);
      ps.executeUpdate();
    }
    consent(c, contactId, "subscribe", district == null ? topic : topic + "@" + district, channel, now);
  }

  /** Drops one topic (per-topic opt-out) and records the consent change. */
  public void unsubscribe(Connection c, String contactId, String topic, String channel, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscriptions WHERE contact_id = ? AND topic = ?")) {
      ps.setString(1, contactId);
      ps.setString(2, topic);
      ps.executeUpdate();
    }
    consent(c, contactId, "unsubscribe", topic, channel, now);
  }

  public java.util.List<Subscription> subscriptions(Connection c, String contactId) throws SQLException {
    java.util.List<Subscription> out = new java.util.ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT topic, district FROM subscriptions WHERE contact_id = ? ORDER BY topic")) {
      ps.setString(1, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Subscription(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  /** How to reach a contact outside a reply: channel, language, keyed hash, opt-out, decrypted address. */
  public record Reach(String channel, String language, String addressHash, boolean optedOut, String address) {
  }

  /** The contact's channel and address, or null when there is no such contact (erased). */
  public Reach reach(Connection c, String contactId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT channel, language, address_hash, opted_out, address_enc FROM contacts WHERE id = ?")) {
      ps.setString(1, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Reach(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1,
            crypto.decrypt(rs.getString(5))) : null;
      }
    }
  }

  /** The decrypted address of a contact, for sending outside a provider's reply (e.g. after a crash). */
  public String address(Connection c, String contactId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT address_enc FROM contacts WHERE id = ?")) {
      ps.setString(1, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? crypto.decrypt(rs.getString(1)) : null;
      }
    }
  }

  /**
   * Erases a resident: their messages (in and out), outbox entries, subscriptions, consent records
   * and the contact itself; their reports of needs lose the link and the text and stay as anonymous
   * counts. Nothing that names them stays.
   */
  public void erase(Connection c, String contactId, String addressHash) throws SQLException {
    Needs.unlinkContact(c, contactId);
    for (String sql : new String[] {
        "DELETE FROM messages WHERE contact_id = ? OR address_hash = ?",
        "DELETE FROM outbox WHERE to_hash = ? OR to_hash = ?",
        "DELETE FROM subscriptions WHERE contact_id = ? OR contact_id = ?",
        "DELETE FROM consent_log WHERE contact_id = ? OR contact_id = ?",
        "DELETE FROM contacts WHERE id = ? OR address_hash = ?",
        "UPDATE audit_log SET target = NULL WHERE target = ? OR target = ?"}) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        boolean byHash = sql.startsWith("DELETE FROM outbox");
        ps.setString(1, byHash ? addressHash : contactId);
        ps.setString(2, sql.contains("address_hash") || byHash ? addressHash : contactId);
        ps.executeUpdate();
      }
    }
  }

  /** Moves a contact and its messages and outbox entries to the current key's hash and encryption. */
  public void rekey(Connection c, String contactId, String oldHash, String newHash, String address)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE contacts SET address_hash = ?, address_enc = ? WHERE id = ?")) {
      ps.setString(1, newHash);
      ps.setString(2, crypto.encrypt(address));
      ps.setString(3, contactId);
      ps.executeUpdate();
    }
    if (!oldHash.equals(newHash)) {
      for (String sql : new String[] {"UPDATE messages SET address_hash = ? WHERE address_hash = ?",
          "UPDATE outbox SET to_hash = ? WHERE to_hash = ?"}) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, newHash);
          ps.setString(2, oldHash);
          ps.executeUpdate();
        }
      }
    }
  }

  /** How many messages of this contact are stored (for MY DATA). */
  public long messageCount(Connection c, String contactId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE contact_id = ?")) {
      ps.setString(1, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Records a consent change (opt-out / opt-in) with time and channel, and applies it. */
  public void setOptedOut(Connection c, String contactId, boolean optedOut, String channel, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SET_OPT_OUT)) {
      ps.setInt(1, optedOut ? 1 : 0);
      ps.setLong(2, now);
      ps.setString(3, contactId);
      ps.executeUpdate();
    }
    consent(c, contactId, optedOut ? "opt_out" : "opt_in", null, channel, now);
  }

  private static void consent(Connection c, String contactId, String action, String topic, String channel, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CONSENT)) {
      ps.setString(1, Ids.next());
      ps.setString(2, contactId);
      ps.setString(3, action);
      ps.setString(4, topic);
      ps.setString(5, channel);
      ps.setLong(6, now);
      ps.executeUpdate();
    }
  }

  static ConversationState readState(String json) {
    if (json == null || json.isBlank()) {
      return ConversationState.NEW;
    }
    try {
      return JSON.readValue(json, ConversationState.class);
    } catch (JsonProcessingException e) {
      return ConversationState.NEW;
    }
  }

  static String writeState(ConversationState state) {
    try {
      return JSON.writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

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
  private static final String SAVE_STATE = "UPDATE contacts SET language = ?, state = ?, updated_at = ? WHERE id = ?";
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
      ps.setString(4, contactId);
      ps.executeUpdate();
    }
  }

  /** Subscribes to a topic (idempotent) and records the consent change. */
  public void subscribe(Connection c, String contactId, String topic, String channel, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscriptions (contact_id, topic, created_at) "
        + "VALUES (?, ?, ?) ON CONFLICT (contact_id, topic) DO NOTHING")) {
      ps.setString(1, contactId);
      ps.setString(2, topic);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
    consent(c, contactId, "subscribe", topic, channel, now);
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

  public java.util.List<String> subscriptions(Connection c, String contactId) throws SQLException {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT topic FROM subscriptions WHERE contact_id = ? ORDER BY topic")) {
      ps.setString(1, contactId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
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

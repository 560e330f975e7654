package org.welcomeline.store;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Community needs and the associations that report them. A need keeps its text twice: scrubbed of
 * personal data (what officials see) and the original, encrypted, until the retention job clears it.
 * Blocking: call inside {@link Database#tx}.
 */
public final class Needs {
  public static final List<String> STATUSES = List.of("new", "acknowledged", "in_progress", "resolved");
  public static final List<String> URGENCIES = List.of("today", "week", "later");
  public static final List<String> SOURCES = List.of("resident", "association", "open311");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS = "n.id, n.code, n.source, n.association_id, a.name, n.contact_id, n.external_id, "
      + "n.topic, n.language, n.district, n.people, n.urgency, n.text_scrubbed, n.status, n.status_note, n.created_at, "
      + "n.updated_at FROM needs n LEFT JOIN associations a ON a.id = n.association_id";

  private final Crypto crypto;

  /** One report as officials see it (scrubbed text only). */
  public record Need(String id, String code, String source, String associationId, String association,
                     String contactId, String externalId, String topic, String language, String district,
                     Integer people, String urgency, String text, String status, String statusNote, long createdAt,
                     long updatedAt) {
    /** The shape the console, the exports and live updates use; no contact, no original text. */
    public JsonObject json() {
      return new JsonObject().put("id", id).put("code", code).put("source", source).put("association", association)
          .put("external_id", externalId).put("topic", topic).put("language", language).put("district", district)
          .put("people", people).put("urgency", urgency).put("text", text).put("status", status)
          .put("status_note", statusNote).put("created_at", createdAt).put("updated_at", updatedAt);
    }
  }

  /** What a new report carries; {@code text} is the original, scrubbed on the way in by the caller. */
  public record NewNeed(String source, String associationId, String contactId, String externalId, String topic,
                        String language, String district, Integer people, String urgency, String text,
                        String scrubbed) {
  }

  /** A stored report and whether this call created it (false: the same external id was sent before). */
  public record Created(Need need, boolean created) {
  }

  /** A registered community association; its API key is stored only as a hash. */
  public record Association(String id, String name, String keyPrefix, long createdAt, Long revokedAt) {
    public JsonObject json() {
      return new JsonObject().put("id", id).put("name", name).put("key_prefix", keyPrefix).put("created_at", createdAt)
          .put("revoked_at", revokedAt);
    }
  }

  /** Filters of the dashboard and exports; null or empty = any. */
  public record Filter(String topic, String district, String language, String status, long since) {
  }

  public Needs(Crypto crypto) {
    this.crypto = crypto;
  }

  /** Stores a report (idempotent on an association's own id) with a fresh reference code. */
  public Created create(Connection c, NewNeed n, long now) throws SQLException {
    return create(c, null, n, now);
  }

  /** As above with a chosen id (the chat flow names the report before it is stored); null: a new id. */
  public Created create(Connection c, String chosenId, NewNeed n, long now) throws SQLException {
    if (n.associationId() != null && n.externalId() != null) {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " WHERE n.association_id = ? AND n.external_id = ?")) {
        ps.setString(1, n.associationId());
        ps.setString(2, n.externalId());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return new Created(need(rs), false);
          }
        }
      }
    }
    String id = chosenId == null ? Ids.next() : chosenId;
    String code = freshCode(c);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO needs (id, code, source, association_id, contact_id, "
        + "external_id, topic, language, district, people, urgency, text_scrubbed, text_enc, status, created_at, "
        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, code);
      ps.setString(3, n.source());
      ps.setString(4, n.associationId());
      ps.setString(5, n.contactId());
      ps.setString(6, n.externalId());
      ps.setString(7, n.topic());
      ps.setString(8, n.language());
      ps.setString(9, n.district());
      setInt(ps, 10, n.people());
      ps.setString(11, n.urgency());
      ps.setString(12, n.scrubbed());
      ps.setString(13, n.text() == null ? null : crypto.encrypt(n.text()));
      ps.setLong(14, now);
      ps.setLong(15, now);
      ps.executeUpdate();
    }
    return new Created(find(c, id), true);
  }

  /** Seven digits: easy to type on any phone keyboard and in any script's digits. */
  private static String freshCode(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM needs WHERE code = ?")) {
      while (true) {
        String code = String.valueOf(1_000_000 + RANDOM.nextInt(9_000_000));
        ps.setString(1, code);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return code;
          }
        }
      }
    }
  }

  /** Sets one of the optional details a resident adds step by step (district, people, urgency). */
  public void detail(Connection c, String id, String column, Object value, long now) throws SQLException {
    if (!List.of("district", "people", "urgency").contains(column)) {
      throw new IllegalArgumentException(column);
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE needs SET " + column + " = ?, updated_at = ? WHERE id = ?")) {
      ps.setObject(1, value);
      ps.setLong(2, now);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  public Need find(Connection c, String id) throws SQLException {
    return one(c, "n.id = ?", id);
  }

  public Need findByCode(Connection c, String code) throws SQLException {
    return one(c, "n.code = ?", code);
  }

  private Need one(Connection c, String where, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " WHERE " + where)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? need(rs) : null;
      }
    }
  }

  /** Reports matching the filter, newest first, at most {@code limit}. */
  public List<Need> list(Connection c, Filter f, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" WHERE n.created_at >= ?");
    List<Object> args = new ArrayList<>();
    args.add(f.since());
    for (String[] col : new String[][] {{"n.topic", f.topic()}, {"n.district", f.district()},
        {"n.language", f.language()}, {"n.status", f.status()}}) {
      if (col[1] != null && !col[1].isEmpty()) {
        sql.append(" AND ").append(col[0]).append(" = ?");
        args.add(col[1]);
      }
    }
    sql.append(" ORDER BY n.created_at DESC, n.id LIMIT ").append(limit);
    List<Need> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(need(rs));
        }
      }
    }
    return out;
  }

  /** Changes a report's status; returns the updated report, or null when there is none. */
  public Need setStatus(Connection c, String id, String status, String note, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE needs SET status = ?, status_note = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, status);
      ps.setString(2, note);
      ps.setLong(3, now);
      ps.setString(4, id);
      if (ps.executeUpdate() == 0) {
        return null;
      }
    }
    return find(c, id);
  }

  /** A resident's erasure: their reports stay only as anonymous aggregates (no link, no text). */
  public static void unlinkContact(Connection c, String contactId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE needs SET contact_id = NULL, text_enc = NULL, "
        + "text_scrubbed = NULL WHERE contact_id = ?")) {
      ps.setString(1, contactId);
      ps.executeUpdate();
    }
  }

  /** Retention: originals of reports older than {@code before} are deleted; returns how many. */
  public static int expireOriginals(Connection c, long before) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE needs SET text_enc = NULL WHERE text_enc IS NOT NULL AND created_at < ?")) {
      ps.setLong(1, before);
      return ps.executeUpdate();
    }
  }

  /** The original text of a report, for the retention and privacy tests and a city's lawful requests. */
  public String original(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT text_enc FROM needs WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? crypto.decrypt(rs.getString(1)) : null;
      }
    }
  }

  // ---- associations

  /** A new association and its API key, shown once. */
  public record Registered(Association association, String key) {
  }

  /** Registers an association and returns it with its API key, which is never stored or shown again. */
  public static Registered createAssociation(Connection c, String name, String createdBy, long now) throws SQLException {
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    String key = "wl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    String id = Ids.next();
    String prefix = key.substring(0, 10);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO associations (id, name, key_prefix, key_hash, "
        + "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, prefix);
      ps.setString(4, keyHash(key));
      ps.setString(5, createdBy);
      ps.setLong(6, now);
      ps.executeUpdate();
    }
    return new Registered(new Association(id, name, prefix, now, null), key);
  }

  /** The association an API key belongs to, or null (unknown or revoked key). */
  public static Association byKey(Connection c, String key) throws SQLException {
    if (key == null || key.isBlank() || key.length() > 200) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id, name, key_prefix, created_at, revoked_at "
        + "FROM associations WHERE key_hash = ? AND revoked_at IS NULL")) {
      ps.setString(1, keyHash(key));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? association(rs) : null;
      }
    }
  }

  public static List<Association> associations(Connection c) throws SQLException {
    List<Association> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, name, key_prefix, created_at, revoked_at "
        + "FROM associations ORDER BY name, created_at")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(association(rs));
        }
      }
    }
    return out;
  }

  /** Revokes an association's key; returns it, or null when there is none. */
  public static Association revoke(Connection c, String id, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE associations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id, name, key_prefix, created_at, revoked_at "
        + "FROM associations WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? association(rs) : null;
      }
    }
  }

  /**
   * API keys are 192 random bits, so a plain SHA-256 is enough to make a stolen table useless (no
   * salt or slow hash needed, unlike passwords), and it stays valid across secret-key rotations.
   */
  static String keyHash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Association association(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(5);
    return new Association(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
        rs.wasNull() ? null : revoked);
  }

  private static Need need(ResultSet rs) throws SQLException {
    int people = rs.getInt(11);
    Integer p = rs.wasNull() ? null : people;
    return new Need(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), p, rs.getString(12),
        rs.getString(13), rs.getString(14), rs.getString(15), rs.getLong(16), rs.getLong(17));
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }
}

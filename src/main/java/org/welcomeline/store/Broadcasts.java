package org.welcomeline.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Broadcasts: the audience (topics × languages × districts of subscribers, empty = any), one text per
 * language with an explicit fallback language for the others, the approval state, and deliveries (one
 * unique row per broadcast and contact). Blocking.
 */
public final class Broadcasts {
  private final Database db;

  /** Who a broadcast goes to; empty lists mean "any". */
  public record Audience(List<String> topics, List<String> languages, List<String> districts) {
    public JsonObject json() {
      return new JsonObject().put("topics", new JsonArray(topics)).put("languages", new JsonArray(languages))
          .put("districts", new JsonArray(districts));
    }

    public static Audience of(JsonObject j) {
      return new Audience(strings(j.getJsonArray("topics")), strings(j.getJsonArray("languages")),
          strings(j.getJsonArray("districts")));
    }

    private static List<String> strings(JsonArray a) {
      List<String> out = new ArrayList<>();
      if (a != null) {
        a.forEach(o -> out.add(String.valueOf(o)));
      }
      return out;
    }
  }

  public record Broadcast(String id, String createdBy, String status, boolean emergency, Audience audience,
                          Map<String, String> texts, String fallback, int recipients, String approvedBy,
                          Long scheduledAt) {
  }

  public Broadcasts(Database db) {
    this.db = db;
  }

  /** Recipients per language (contacts subscribed, opted in, matching the audience). */
  public Map<String, Integer> audienceByLanguage(Audience a) throws SQLException {
    return db.tx(c -> {
      Map<String, Integer> out = new LinkedHashMap<>();
      List<Object> args = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(k.language, 'en'), COUNT(DISTINCT k.id) "
          + audienceSql(a, args) + " GROUP BY COALESCE(k.language, 'en') ORDER BY 1")) {
        bind(ps, args, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
      return out;
    });
  }

  private static String audienceSql(Audience a, List<Object> args) {
    StringBuilder sql = new StringBuilder("FROM contacts k JOIN subscriptions s ON s.contact_id = k.id "
        + "WHERE k.opted_out = 0");
    if (!a.topics().isEmpty()) {
      sql.append(" AND s.topic IN (").append(marks(a.topics().size())).append(')');
      args.addAll(a.topics());
    }
    if (!a.languages().isEmpty()) {
      sql.append(" AND COALESCE(k.language, 'en') IN (").append(marks(a.languages().size())).append(')');
      args.addAll(a.languages());
    }
    if (!a.districts().isEmpty()) {
      // a subscription without a district is for the whole city
      sql.append(" AND (s.district IS NULL OR s.district IN (").append(marks(a.districts().size())).append("))");
      args.addAll(a.districts());
    }
    return sql.toString();
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static void bind(PreparedStatement ps, List<Object> args, int from) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(from + i, args.get(i));
    }
  }

  public String create(String userId, boolean emergency, Audience a, Map<String, String> texts, String fallback,
                       int recipients, long now) throws SQLException {
    String id = Ids.next();
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO broadcasts (id, created_by, status, emergency, "
          + "audience, texts, fallback, recipients, created_at, updated_at) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, userId);
        ps.setInt(3, emergency ? 1 : 0);
        ps.setString(4, a.json().encode());
        ps.setString(5, new JsonObject(new LinkedHashMap<>(texts)).encode());
        ps.setString(6, fallback);
        ps.setInt(7, recipients);
        ps.setLong(8, now);
        ps.setLong(9, now);
        return ps.executeUpdate();
      }
    });
    return id;
  }

  public Broadcast find(String id) throws SQLException {
    return db.tx(c -> find(c, id));
  }

  private Broadcast find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, created_by, status, emergency, audience, texts, "
        + "fallback, recipients, approved_by, scheduled_at FROM broadcasts WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, String> texts = new LinkedHashMap<>();
        new JsonObject(rs.getString(6)).forEach(e -> texts.put(e.getKey(), String.valueOf(e.getValue())));
        return new Broadcast(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1,
            Audience.of(new JsonObject(rs.getString(5))), texts, rs.getString(7), rs.getInt(8), rs.getString(9),
            rs.getObject(10) == null ? null : rs.getLong(10));
      }
    }
  }

  /** Marks a broadcast to start at {@code at} (epoch ms). */
  public boolean schedule(String id, long at, long now) throws SQLException {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE broadcasts SET status = 'scheduled', scheduled_at = ?, "
          + "updated_at = ? WHERE id = ? AND status IN ('draft', 'approved')")) {
        ps.setLong(1, at);
        ps.setLong(2, now);
        ps.setString(3, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Scheduled broadcasts whose time has come. */
  public List<String> due(long now) throws SQLException {
    return db.tx(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at")) {
        ps.setLong(1, now);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  /** True when a broadcast with the same texts and audience was composed since {@code since} (not cancelled). */
  public boolean recentDuplicate(Audience a, Map<String, String> texts, long since, String except) throws SQLException {
    String audience = a.json().encode();
    String t = new JsonObject(new LinkedHashMap<>(texts)).encode();
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM broadcasts WHERE audience = ? AND texts = ? "
          + "AND created_at >= ? AND status IN ('scheduled', 'sending', 'sent') AND id <> ?")) {
        ps.setString(1, audience);
        ps.setString(2, t);
        ps.setLong(3, since);
        ps.setString(4, except);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1) > 0;
        }
      }
    });
  }

  /** Moves a broadcast from one of {@code from} to {@code to}; false if it was in another state. */
  public boolean transition(String id, List<String> from, String to, String approvedBy, long now)
      throws SQLException {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE broadcasts SET status = ?, updated_at = ?, "
          + "approved_by = COALESCE(?, approved_by) WHERE id = ? AND status IN (" + marks(from.size()) + ")")) {
        ps.setString(1, to);
        ps.setLong(2, now);
        ps.setString(3, approvedBy);
        ps.setString(4, id);
        bind(ps, new ArrayList<>(from), 5);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /**
   * Creates the deliveries (idempotent: unique per broadcast and contact) and marks the broadcast
   * sending, in one transaction. Recipients whose language has no text and no fallback are skipped.
   */
  public int start(Broadcast b, long now) throws SQLException {
    return db.tx(c -> {
      List<Object> args = new ArrayList<>();
      String from = audienceSql(b.audience(), args);
      int n = 0;
      List<String[]> recipients = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT k.id, COALESCE(k.language, 'en') " + from)) {
        bind(ps, args, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            recipients.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (broadcast_id, contact_id, language, "
          + "status, updated_at) VALUES (?, ?, ?, 'queued', ?) ON CONFLICT (broadcast_id, contact_id) DO NOTHING")) {
        for (String[] r : recipients) {
          String lang = b.texts().containsKey(r[1]) ? r[1] : b.fallback();
          if (lang == null || !b.texts().containsKey(lang)) {
            continue;
          }
          ps.setString(1, b.id());
          ps.setString(2, r[0]);
          ps.setString(3, lang);
          ps.setLong(4, now);
          n += ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE broadcasts SET status = 'sending', updated_at = ? WHERE id = ?")) {
        ps.setLong(1, now);
        ps.setString(2, b.id());
        ps.executeUpdate();
      }
      return n;
    });
  }

  /** Delivery counts per language and status. */
  public JsonObject progress(String id) throws SQLException {
    return db.tx(c -> {
      JsonObject out = new JsonObject();
      try (PreparedStatement ps = c.prepareStatement("SELECT language, status, COUNT(*) FROM deliveries "
          + "WHERE broadcast_id = ? GROUP BY language, status")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JsonObject lang = out.getJsonObject(rs.getString(1));
            if (lang == null) {
              lang = new JsonObject();
              out.put(rs.getString(1), lang);
            }
            lang.put(rs.getString(2), rs.getInt(3));
          }
        }
      }
      // the provider's delivery receipts (Twilio status callbacks) on the sent messages
      try (PreparedStatement ps = c.prepareStatement("SELECT language, status, COUNT(*) FROM messages "
          + "WHERE reply_to = ? AND intent = 'broadcast' AND direction = 'out' "
          + "AND status IN ('delivered', 'undelivered', 'read') GROUP BY language, status")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JsonObject lang = out.getJsonObject(rs.getString(1));
            if (lang != null) {
              String key = rs.getString(2).equals("undelivered") ? "undelivered" : "delivered";
              lang.put(key, lang.getInteger(key, 0) + rs.getInt(3));
            }
          }
        }
      }
      return out;
    });
  }

  /** Stops what is not yet sent. */
  public int cancel(String id, long now) throws SQLException {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE broadcasts SET status = 'cancelled', updated_at = ? "
          + "WHERE id = ? AND status NOT IN ('sent', 'cancelled')")) {
        ps.setLong(1, now);
        ps.setString(2, id);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = 'cancelled', updated_at = ? "
          + "WHERE broadcast_id = ? AND status = 'queued'")) {
        ps.setLong(1, now);
        ps.setString(2, id);
        return ps.executeUpdate();
      }
    });
  }
}

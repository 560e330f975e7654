package org.welcomeline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What several instances sharing one database agree on through it: job leases (a periodic job runs
 * on the instance holding its lease, so once per cluster) and a shared token bucket (one send rate
 * for the whole cluster). Both work on SQLite too (one instance), so there is one code path. Blocking.
 */
public final class Coordination {
  private final Database db;
  private final String holder;

  public Coordination(Database db, String holder) {
    this.db = db;
    this.holder = holder;
  }

  public String holder() {
    return holder;
  }

  /**
   * Takes or renews the lease on {@code job} for {@code ttlMs}; true when this instance holds it. A
   * lease nobody renews (its holder crashed) expires and another instance takes over.
   */
  public boolean lease(String job, long ttlMs, long now) throws SQLException {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_leases (name, holder, until) VALUES (?, ?, ?) "
          + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until "
          + "WHERE job_leases.until < ? OR job_leases.holder = excluded.holder")) {
        ps.setString(1, job);
        ps.setString(2, holder);
        ps.setLong(3, now + ttlMs);
        ps.setLong(4, now);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Gives a lease up (graceful stop), so another instance can take the job at once. */
  public void release(String job) throws SQLException {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_leases WHERE name = ? AND holder = ?")) {
        ps.setString(1, job);
        ps.setString(2, holder);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Takes up to {@code want} tokens from the shared bucket {@code name}, which refills at
   * {@code perSecond} and holds at most one second's worth; returns how many were granted.
   */
  public int take(String name, int want, double perSecond, long now) throws SQLException {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_budget (name, tokens, refilled_at) "
          + "VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, name);
        ps.setLong(2, now);
        ps.executeUpdate();
      }
      double tokens;
      long refilled;
      try (PreparedStatement ps = c.prepareStatement("SELECT tokens, refilled_at FROM rate_budget WHERE name = ?"
          + (db.postgres() ? " FOR UPDATE" : ""))) { // SQLite: the single writer already serialises this
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          tokens = rs.getDouble(1);
          refilled = rs.getLong(2);
        }
      }
      tokens = Math.min(perSecond, tokens + perSecond * Math.max(0, now - refilled) / 1000.0);
      int granted = (int) Math.min(want, Math.floor(tokens));
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE rate_budget SET tokens = ?, refilled_at = ? WHERE name = ?")) {
        ps.setDouble(1, tokens - granted);
        ps.setLong(2, Math.max(now, refilled));
        ps.setString(3, name);
        ps.executeUpdate();
      }
      return granted;
    });
  }

  /** Returns tokens taken but not used (nothing was due), so the cluster's rate is not lost. */
  public void giveBack(String name, int tokens) throws SQLException {
    if (tokens <= 0) {
      return;
    }
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE rate_budget SET tokens = tokens + ? WHERE name = ?")) {
        ps.setInt(1, tokens);
        ps.setString(2, name);
        return ps.executeUpdate();
      }
    });
  }
}

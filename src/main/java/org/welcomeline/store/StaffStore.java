package org.welcomeline.store;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Staff accounts (bcrypt, cost 12), login sessions and the audit log. A session token is random
 * (256 bits) and only its SHA-256 is stored, so a database dump cannot be replayed as a login.
 * Repeated failures lock the account for a while. Blocking.
 */
public final class StaffStore {
  /** Roles, from least to most powerful. */
  public enum Role { VIEWER, EDITOR, APPROVER, ADMIN }

  public static final int MAX_FAILURES = 5;
  public static final long LOCK_MS = 15 * 60_000L;
  public static final long SESSION_MS = 8 * 3_600_000L;
  private static final int COST = 12;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** A fixed hash to compare against when the user does not exist, so timing does not reveal usernames. */
  private static final byte[] DUMMY = BCrypt.withDefaults().hash(COST, "not-a-password".toCharArray());

  private final Database db;

  public record User(String id, String username, Role role) {
  }

  public record Session(User user, String csrf) {
  }

  /** The outcome of a login attempt. */
  public sealed interface Login permits Ok, Refused, Locked {
  }

  public record Ok(String token, Session session) implements Login {
  }

  public record Refused() implements Login {
  }

  public record Locked(long until) implements Login {
  }

  public StaffStore(Database db) {
    this.db = db;
  }

  /** A password staff may use: 12+ characters. Returns an error text or null. */
  public static String passwordProblem(String password) {
    if (password == null || password.length() < 12) {
      return "the password must have at least 12 characters";
    }
    if (password.length() > 72) {
      return "the password must have at most 72 characters";
    }
    return null;
  }

  public User create(String username, String password, Role role, long now) throws SQLException {
    if (username == null || !username.matches("[A-Za-z0-9._@-]{2,64}")) {
      throw new IllegalArgumentException("username: 2-64 letters, digits or . _ @ -");
    }
    String problem = passwordProblem(password);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    String hash = BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    String id = Ids.next();
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_users (id, username, password_hash, role, "
          + "created_at) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, username);
        ps.setString(3, hash);
        ps.setString(4, role.name());
        ps.setLong(5, now);
        return ps.executeUpdate();
      }
    });
    return new User(id, username, role);
  }

  /** Checks a password (bcrypt runs outside any transaction); locks after {@link #MAX_FAILURES} failures. */
  public Login login(String username, String password, long now) throws SQLException {
    String[] row = db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, password_hash, role, locked_until, disabled "
          + "FROM staff_users WHERE username = ?")) {
        ps.setString(1, username == null ? "" : username);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
              String.valueOf(rs.getLong(4)), String.valueOf(rs.getInt(5))} : null;
        }
      }
    });
    char[] given = (password == null ? "" : password).toCharArray();
    if (row == null) {
      BCrypt.verifyer().verify(given, DUMMY);
      return new Refused();
    }
    long lockedUntil = Long.parseLong(row[3]);
    if (lockedUntil > now) {
      return new Locked(lockedUntil);
    }
    boolean ok = row[4].equals("0") && BCrypt.verifyer().verify(given, row[1].getBytes(StandardCharsets.UTF_8)).verified;
    String id = row[0];
    if (!ok) {
      long until = db.tx(c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE staff_users SET failed_logins = failed_logins + 1, "
            + "locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?")) {
          ps.setInt(1, MAX_FAILURES);
          ps.setLong(2, now + LOCK_MS);
          ps.setString(3, id);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT locked_until FROM staff_users WHERE id = ?")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      });
      audit(null, username, "login_failed", null, null, now);
      return until > now ? new Locked(until) : new Refused();
    }
    String token = random(32);
    String csrf = random(24);
    User user = new User(id, username, Role.valueOf(row[2]));
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE staff_users SET failed_logins = 0, locked_until = 0 WHERE id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_sessions (token_hash, user_id, csrf, "
          + "expires_at, created_at) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, sha256(token));
        ps.setString(2, id);
        ps.setString(3, csrf);
        ps.setLong(4, now + SESSION_MS);
        ps.setLong(5, now);
        return ps.executeUpdate();
      }
    });
    audit(user, "login", null, null, now);
    return new Ok(token, new Session(user, csrf));
  }

  /** The live session of a token, or null (unknown, expired, or the user was disabled). */
  public Session session(String token, long now) throws SQLException {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return null;
    }
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.username, u.role, s.csrf FROM staff_sessions s "
          + "JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0")) {
        ps.setString(1, sha256(token));
        ps.setLong(2, now);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new Session(new User(rs.getString(1), rs.getString(2), Role.valueOf(rs.getString(3))),
              rs.getString(4)) : null;
        }
      }
    });
  }

  public void logout(String token) throws SQLException {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM staff_sessions WHERE token_hash = ?")) {
        ps.setString(1, sha256(token == null ? "" : token));
        return ps.executeUpdate();
      }
    });
  }

  public void audit(User user, String action, String target, String detail, long now) throws SQLException {
    audit(user == null ? null : user.id(), user == null ? null : user.username(), action, target, detail, now);
  }

  private void audit(String userId, String username, String action, String target, String detail, long now)
      throws SQLException {
    db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (id, user_id, username, action, target, "
          + "detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, Ids.next());
        ps.setString(2, userId);
        ps.setString(3, username == null ? null : username.substring(0, Math.min(64, username.length())));
        ps.setString(4, action);
        ps.setString(5, target);
        ps.setString(6, detail);
        ps.setLong(7, now);
        return ps.executeUpdate();
      }
    });
  }

  /** The latest audit entries, newest first. */
  public List<String[]> auditLog(int limit) throws SQLException {
    return db.tx(c -> {
      List<String[]> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT at, username, action, target, detail FROM audit_log ORDER BY at DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new String[] {String.valueOf(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5)});
          }
        }
      }
      return out;
    });
  }

  public static boolean allows(Role have, Set<Role> needed) {
    return have == Role.ADMIN || needed.contains(have);
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package org.welcomeline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Background key rotation: re-encrypts every encrypted value not written with the current key and
 * re-hashes addresses (contacts, their messages and outbox entries; reports' original texts), a batch per run, each batch in one
 * transaction. Running it again when nothing is left is a cheap no-op. Blocking.
 */
public final class KeyRotation {
  private final Database db;
  private final Crypto crypto;
  private final ContactStore contacts;

  public KeyRotation(Database db, Crypto crypto) {
    this.db = db;
    this.crypto = crypto;
    this.contacts = new ContactStore(crypto);
  }

  /** Re-keys up to {@code batch} rows of each kind; returns how many rows changed (0 when done). */
  public int run(int batch) throws SQLException {
    String like = crypto.currentPrefix() + "%";
    return db.tx(c -> contactsBatch(c, like, batch) + columnBatch(c, "messages", "body_enc", like, batch)
        + columnBatch(c, "needs", "text_enc", like, batch) + outboxBatch(c, like, batch));
  }

  /** Runs batches until nothing is left; returns the total. */
  public int runAll(int batch) throws SQLException {
    int total = 0;
    for (int n = run(batch); n > 0; n = run(batch)) {
      total += n;
    }
    return total;
  }

  private int contactsBatch(Connection c, String like, int batch) throws SQLException {
    List<String[]> rows = select(c, "SELECT id, address_hash, address_enc FROM contacts WHERE address_enc NOT LIKE ? "
        + "LIMIT ?", like, batch, 3);
    for (String[] r : rows) {
      String address = crypto.decrypt(r[2]);
      contacts.rekey(c, r[0], r[1], crypto.hash(address), address);
    }
    return rows.size();
  }

  /** Re-encrypts one encrypted text column (messages' bodies, reports' originals). */
  private int columnBatch(Connection c, String table, String column, String like, int batch) throws SQLException {
    List<String[]> rows = select(c, "SELECT id, " + column + " FROM " + table + " WHERE " + column + " IS NOT NULL "
        + "AND " + column + " NOT LIKE ? LIMIT ?", like, batch, 2);
    for (String[] r : rows) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE id = ?")) {
        ps.setString(1, crypto.encrypt(crypto.decrypt(r[1])));
        ps.setString(2, r[0]);
        ps.executeUpdate();
      }
    }
    return rows.size();
  }

  private int outboxBatch(Connection c, String like, int batch) throws SQLException {
    List<String[]> rows = select(c, "SELECT id, to_enc, body_enc FROM outbox WHERE to_enc NOT LIKE ? "
        + "OR body_enc NOT LIKE ? LIMIT ?", like, batch, 3);
    for (String[] r : rows) {
      String to = crypto.decrypt(r[1]);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE outbox SET to_enc = ?, body_enc = ?, to_hash = ? WHERE id = ?")) {
        ps.setString(1, crypto.encrypt(to));
        ps.setString(2, crypto.encrypt(crypto.decrypt(r[2])));
        ps.setString(3, crypto.hash(to));
        ps.setString(4, r[0]);
        ps.executeUpdate();
      }
    }
    return rows.size();
  }

  private static List<String[]> select(Connection c, String sql, String like, int batch, int columns)
      throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, like);
      if (sql.chars().filter(ch -> ch == '?').count() == 3) {
        ps.setString(i++, like);
      }
      ps.setInt(i, batch);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String[] row = new String[columns];
          for (int k = 0; k < columns; k++) {
            row[k] = rs.getString(k + 1);
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}

package org.welcomeline.channel.outbox;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.welcomeline.channel.SendException;
import org.welcomeline.channel.Sender;
import org.welcomeline.content.SmsText;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;
import org.welcomeline.store.Ids;

/** The default sender without provider credentials: messages land in the {@code outbox} table, encrypted. */
public final class OutboxSender implements Sender {
  private final Database db;
  private final Crypto crypto;

  public OutboxSender(Database db, Crypto crypto) {
    this.db = db;
    this.crypto = crypto;
  }

  @Override
  public String send(String channel, String to, String body) throws SendException {
    return send(channel, to, body, null);
  }

  /** Idempotent: the key becomes the row id, so the same key is written once however often it is sent. */
  @Override
  public String send(String channel, String to, String body, String idempotencyKey) throws SendException {
    String id = idempotencyKey == null ? Ids.next()
        : java.util.UUID.nameUUIDFromBytes(idempotencyKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    SmsText.Count count = SmsText.count(body);
    try {
      db.tx(c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (id, channel, to_enc, body_enc, segments, "
            + "encoding, created_at, to_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
          ps.setString(1, id);
          ps.setString(2, channel);
          ps.setString(3, crypto.encrypt(to));
          ps.setString(4, crypto.encrypt(body));
          ps.setInt(5, count.segments());
          ps.setString(6, count.encoding().name());
          ps.setLong(7, System.currentTimeMillis());
          ps.setString(8, crypto.hash(to));
          return ps.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new SendException(SendException.Kind.RETRYABLE, null, "outbox write failed: " + e.getClass().getSimpleName());
    }
    return "outbox-" + id;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String name() {
    return "outbox";
  }
}

package org.welcomeline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.SmsClient;

/**
 * The SQLite default runs out of space (SQLite's own limit on the database size stands in for a full
 * disk: the same SQLITE_FULL error): webhooks are refused with a clear 503 and nothing is half-written;
 * when space returns, the service works again, the database passes its integrity check, and every
 * message Twilio retries is stored exactly once.
 */
class DiskFullIT {
  @Test
  void aFullDatabaseRefusesClearlyAndRecoversWithoutCorruption() throws Exception {
    TestServer server = TestServer.start(TestServer.testConfig(Engine.SQLITE));
    try (SmsClient sms = new SmsClient(server)) {
      String from = "+15557770000";
      assertEquals(200, sms.sms(SmsClient.msg(from, "hello", "SMfull-0")).statusCode());
      Database db = server.app.database();
      // the writer connection may not grow the file any further: the disk is "full"
      db.tx(c -> {
        try (var st = c.createStatement()) {
          long pages;
          try (ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
          }
          st.execute("PRAGMA max_page_count = " + pages);
        }
        return null;
      });
      int refused = 0;
      for (int i = 1; i <= 200 && refused == 0; i++) {
        HttpResponse<Buffer> r = sms.sms(SmsClient.msg(from, "where can I find a lawyer " + "x".repeat(300), "SMfull-" + i));
        assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.bodyAsString());
        if (r.statusCode() == 503) {
          refused = i;
          assertTrue(r.bodyAsString().contains("\"storage_full\""), r.bodyAsString());
          assertEquals("30", r.getHeader("Retry-After"));
        }
      }
      assertTrue(refused > 0, "the full database refused a message");
      db.tx(c -> {
        try (var st = c.createStatement()) {
          st.execute("PRAGMA max_page_count = 1073741823");
        }
        return null;
      });
      // Twilio retries every refused or answered message: all are answered now, each stored once
      for (int i = 0; i <= refused; i++) {
        assertEquals(200, sms.sms(SmsClient.msg(from, "where can I find a lawyer " + "x".repeat(300), "SMfull-" + i))
            .statusCode());
      }
      String check = db.tx(c -> {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
          rs.next();
          return rs.getString(1);
        }
      });
      assertEquals("ok", check);
      int stored = db.tx(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT COUNT(*), COUNT(DISTINCT provider_id) FROM messages WHERE provider_id LIKE 'twilio:SMfull-%'")) {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(rs.getInt(1), rs.getInt(2), "no message stored twice");
            return rs.getInt(1);
          }
        }
      });
      assertEquals(refused + 1, stored, "every message stored once");
    } finally {
      server.stop();
    }
  }
}

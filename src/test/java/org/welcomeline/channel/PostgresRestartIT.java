package org.welcomeline.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.SmsClient;

/**
 * PostgreSQL restarts while SMS keep arriving: each webhook is either answered (and stored once) or
 * refused with a clear 503 + Retry-After (and not stored, so Twilio's retry brings it); the service
 * recovers by itself, and a retried MessageSid is stored once.
 */
class PostgresRestartIT {
  static void restartPostgres() throws Exception {
    String version;
    try (var dirs = Files.list(Path.of("/etc/postgresql"))) {
      version = dirs.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
    }
    Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "pg_ctlcluster restart: " + out);
  }

  @Test
  void webhooksFailClearlyDuringARestartAndNothingIsLostOrDoubled() throws Exception {
    TestServer server = TestServer.start(TestServer.testConfig(Engine.POSTGRES));
    try (SmsClient sms = new SmsClient(server)) {
      String from = "+15558880000";
      assertEquals(200, sms.sms(SmsClient.msg(from, "hello", "SMpgr-before")).statusCode());
      Map<String, Integer> outcome = new HashMap<>();
      java.util.concurrent.atomic.AtomicReference<Throwable> restartFailed = new java.util.concurrent.atomic.AtomicReference<>();
      Thread restart = new Thread(() -> {
        try {
          restartPostgres();
        } catch (Throwable e) {
          restartFailed.set(e);
        }
      });
      restart.start();
      try {
        exercise(sms, from, restart, outcome);
      } finally {
        restart.join();
      }
      if (restartFailed.get() != null) {
        throw new AssertionError("PostgreSQL was not restarted, so nothing was tested", restartFailed.get());
      }
      // Twilio retries what was refused: after the restart every retry is answered
      List<String> refused = new ArrayList<>();
      outcome.forEach((sid, status) -> {
        if (status == 503) {
          refused.add(sid);
        }
      });
      long deadline = System.currentTimeMillis() + 60_000;
      for (String sid : refused) {
        int status = 0;
        while (status != 200 && System.currentTimeMillis() < deadline) {
          status = sms.sms(SmsClient.msg(from, "where is the food bank", sid)).statusCode();
        }
        assertEquals(200, status, "the service recovered by itself");
      }
      for (String sid : outcome.keySet()) {
        assertEquals(200, sms.sms(SmsClient.msg(from, "where is the food bank", sid)).statusCode(),
            "a Twilio retry of an answered message is answered again");
      }
      Map<String, Integer> stored = server.app.database().tx(c -> {
        Map<String, Integer> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT provider_id, COUNT(*) FROM messages WHERE provider_id LIKE 'twilio:SMpgr%' GROUP BY provider_id")) {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              m.put(rs.getString(1), rs.getInt(2));
            }
          }
        }
        return m;
      });
      assertEquals(outcome.size() + 1, stored.size(), "every message stored: " + stored);
      stored.forEach((sid, n) -> assertEquals(1, n, sid + " stored once"));
    } finally {
      server.stop();
      awaitPostgres(); // whatever happened above, the next tests find PostgreSQL up
    }
  }

  /** Sends messages while PostgreSQL restarts (and a few after): each answered or refused with a 503. */
  private static void exercise(SmsClient sms, String from, Thread restart, Map<String, Integer> outcome)
      throws Exception {
    int i = 0;
    while (restart.isAlive() || i < 5) {
      String sid = "SMpgr" + i++;
      HttpResponse<Buffer> r = sms.sms(SmsClient.msg(from, "where is the food bank", sid));
      outcome.put(sid, r.statusCode());
      assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.bodyAsString());
      if (r.statusCode() == 503) {
        assertEquals("5", r.getHeader("Retry-After"));
        assertTrue(r.bodyAsString().contains("\"unavailable\""), r.bodyAsString());
      }
    }
  }

  /** Until PostgreSQL accepts connections again (bounded). */
  static void awaitPostgres() throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      Process p = new ProcessBuilder("pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q").start();
      if (p.waitFor() == 0) {
        return;
      }
    }
    throw new AssertionError("PostgreSQL did not come back within 60 s");
  }
}

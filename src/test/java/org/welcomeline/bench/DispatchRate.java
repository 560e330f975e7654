package org.welcomeline.bench;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.FakeTwilioApi;
import org.welcomeline.store.Broadcasts;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;

/**
 * Broadcast benchmarks (not a test): achieved send rate against the local Twilio fake at configured
 * rates, and the time to create the deliveries of a large broadcast.
 * Usage: DispatchRate <rate>... [--deliveries N]
 */
public final class DispatchRate {
  private DispatchRate() {
  }

  static void seed(Database db, Crypto crypto, int from, int n) throws Exception {
    ContactStore contacts = new ContactStore(crypto);
    for (int start = from; start < from + n; start += 1000) {
      int s = start;
      int end = Math.min(from + n, start + 1000);
      db.tx(c -> {
        for (int i = s; i < end; i++) {
          String number = String.format("+1556%07d", i);
          var k = contacts.findOrCreate(c, crypto.hash(number), number, "sms", 1L);
          contacts.subscribe(c, k.id(), "housing", "sms", 1L);
        }
        return null;
      });
    }
  }

  public static void main(String[] args) throws Exception {
    for (int a = 0; a < args.length; a++) {
      if (args[a].equals("--deliveries")) {
        int n = Integer.parseInt(args[++a]);
        TestServer server = TestServer.start(TestServer.testConfig(Engine.SQLITE).put("languages", new JsonArray().add("en")));
        Database db = server.app.database();
        seed(db, Crypto.fromConfig("", server.app.config().dataDir()), 0, n);
        Broadcasts b = new Broadcasts(db);
        Broadcasts.Audience audience = new Broadcasts.Audience(List.of("housing"), List.of(), List.of());
        String id = b.create("bench", false, audience, Map.of("en", "x"), null, n, 1L);
        long t0 = System.nanoTime();
        b.cancel(id, 0); // not dispatched: only the creation is measured
        new Broadcasts(db).start(b.find(id), 2L);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("deliveries=%d created_in=%.2fs (%.0f/s)%n", n, secs, n / secs);
        server.stop();
        continue;
      }
      int rate = Integer.parseInt(args[a]);
      int n = rate * 20;
      try (FakeTwilioApi fake = new FakeTwilioApi()) {
        TestServer server = TestServer.start(TestServer.testConfig(Engine.SQLITE)
            .put("languages", new JsonArray().add("en")).put("broadcast_rate_per_second", rate)
            .put("twilio_api_base_url", fake.baseUrl()).put("twilio_account_sid", "AC" + "0".repeat(32))
            .put("twilio_from", "+15550000"));
        Database db = server.app.database();
        seed(db, Crypto.fromConfig("", server.app.config().dataDir()), 0, n);
        Broadcasts b = new Broadcasts(db);
        Broadcasts.Audience audience = new Broadcasts.Audience(List.of("housing"), List.of(), List.of());
        String id = b.create("bench", false, audience, Map.of("en", "Shelter open tonight."), null, n, 1L);
        int before = fake.requests.size();
        b.start(b.find(id), 1L);
        long t0 = System.nanoTime();
        long deadline = System.currentTimeMillis() + 600_000;
        while (fake.requests.size() - before < n && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int sent = fake.requests.size() - before;
        System.out.printf("configured=%d/s sent=%d in %.1fs achieved=%.0f/s (%.0f%% of configured)%n",
            rate, sent, secs, sent / secs, 100.0 * sent / secs / rate);
        server.stop();
      }
    }
    System.exit(0);
  }
}

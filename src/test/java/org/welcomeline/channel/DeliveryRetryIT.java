package org.welcomeline.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.FakeTwilioApi;
import org.welcomeline.channel.twilio.SmsClient;
import org.welcomeline.channel.twilio.TwilioSignatures;
import org.welcomeline.store.Broadcasts;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;

/**
 * A broadcast against the local Twilio fake answering 500, 429 and permanent errors: temporary
 * failures are retried with backoff until they go through (or fail after the last try), a carrier
 * opt-out marks the resident opted out, an invalid number fails at once; nobody gets two messages.
 */
class DeliveryRetryIT {
  @Test
  void temporaryFailuresAreRetriedPermanentOnesAreNot() throws Exception {
    String flaky = "+15559000001";
    String throttled = "+15559000002";
    String optedOut = "+15559000003";
    String invalid = "+15559000004";
    String down = "+15559000005";
    String fine = "+15559000006";
    try (FakeTwilioApi fake = new FakeTwilioApi()) {
      fake.failFor(flaky, 500, 20500).failFor(flaky, 503, 20503);
      fake.failFor(throttled, 429, 20429);
      fake.failFor(optedOut, 400, 21610);
      fake.failFor(invalid, 400, 21211);
      for (int i = 0; i < Dispatcher.MAX_ATTEMPTS + 2; i++) {
        fake.failFor(down, 500, 20500);
      }
      TestServer server = TestServer.start(TestServer.testConfig(Engine.SQLITE)
          .put("languages", new JsonArray().add("en")).put("broadcast_rate_per_second", 50)
          .put("broadcast_retry_base_ms", 20)
          .put("twilio_api_base_url", fake.baseUrl()).put("twilio_account_sid", "AC" + "0".repeat(32))
          .put("twilio_from", "+15550000"));
      try {
        Database db = server.app.database();
        Crypto crypto = Crypto.fromConfig("", server.app.config().dataDir());
        ContactStore contacts = new ContactStore(crypto);
        Map<String, String> ids = new HashMap<>();
        db.tx(c -> {
          for (String n : List.of(flaky, throttled, optedOut, invalid, down, fine)) {
            var k = contacts.findOrCreate(c, crypto.hash(n), n, "sms", 1L);
            contacts.subscribe(c, k.id(), "housing", "sms", 1L);
            ids.put(n, k.id());
          }
          return null;
        });
        Broadcasts b = new Broadcasts(db);
        String id = b.create("test", false, new Broadcasts.Audience(List.of("housing"), List.of(), List.of()),
            Map.of("en", "Shelter open tonight."), null, 6, 1L);
        b.start(b.find(id), 1L);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!b.find(id).status().equals("sent") && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals("sent", b.find(id).status(), "every delivery reached a final state");
        Map<String, String> status = db.tx(c -> {
          Map<String, String> m = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT contact_id, status, attempts, error_code "
              + "FROM deliveries WHERE broadcast_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4));
              }
            }
          }
          return m;
        });
        assertEquals("sent/3/null", status.get(ids.get(flaky)), "two 5xx, then through on the third try");
        assertEquals("sent/2/null", status.get(ids.get(throttled)));
        assertEquals("skipped/1/21610", status.get(ids.get(optedOut)));
        assertEquals("failed/1/21211", status.get(ids.get(invalid)), "an invalid number is not retried");
        assertEquals("failed/" + Dispatcher.MAX_ATTEMPTS + "/20500", status.get(ids.get(down)));
        assertEquals("sent/1/null", status.get(ids.get(fine)));
        assertEquals(3, fake.requestsTo(flaky));
        assertEquals(1, fake.requestsTo(optedOut));
        assertEquals(Dispatcher.MAX_ATTEMPTS, fake.requestsTo(down));
        assertEquals(Integer.valueOf(1), db.<Integer>tx(c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT opted_out FROM contacts WHERE id = ?")) {
            ps.setString(1, ids.get(optedOut));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        }), "the carrier's opt-out is recorded like a STOP");

        // Twilio's delivery receipt for one sent message shows in the broadcast's progress
        String providerId = db.tx(c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT provider_id FROM messages WHERE reply_to = ? "
              + "AND contact_id = ? AND intent = 'broadcast'")) {
            ps.setString(1, id);
            ps.setString(2, ids.get(fine));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
        assertTrue(providerId.startsWith("twilio:SM"), providerId);
        Map<String, String> receipt = new java.util.LinkedHashMap<>();
        receipt.put("MessageSid", providerId.substring("twilio:".length()));
        receipt.put("MessageStatus", "delivered");
        try (SmsClient client = new SmsClient(server)) {
          assertEquals(200, client.post("/channels/twilio/status", SmsClient.form(receipt),
              "application/x-www-form-urlencoded", TwilioSignatures.sign(TestServer.TWILIO_TOKEN,
                  TestServer.PUBLIC_URL + "/channels/twilio/status", receipt), Map.of()).statusCode());
        }
        assertEquals(1, b.progress(id).getJsonObject("en").getInteger("delivered"));
      } finally {
        server.stop();
      }
    }
  }
}

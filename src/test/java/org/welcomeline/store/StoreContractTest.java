package org.welcomeline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.config.Config;
import org.welcomeline.dialogue.ConversationState;

/** The same contract on both engines: SQLite (default) and PostgreSQL. */
class StoreContractTest {

  private record Fixture(Database db, Crypto crypto) {
  }

  private static Fixture open(Engine engine) throws Exception {
    Config config = Config.fromJson(TestServer.testConfig(engine));
    return new Fixture(Database.open(config), Crypto.fromConfig("", config.dataDir()));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void inboundIsIdempotentOnProviderId(Engine engine) throws Exception {
    Fixture f = open(engine);
    try (Database db = f.db()) {
      MessageStore messages = new MessageStore(f.crypto());
      var first = db.tx(c -> messages.storeInbound(c, "SM123", "sms", "h1", "hola", 1L));
      var second = db.tx(c -> messages.storeInbound(c, "SM123", "sms", "h1", "hola", 2L));
      assertTrue(first.created());
      assertFalse(second.created());
      assertEquals(first.id(), second.id());
      assertTrue((boolean) db.tx(c -> messages.claim(c, first.id())));
      assertFalse((boolean) db.tx(c -> messages.claim(c, first.id())), "a message is claimed once");
      assertEquals(1, count(db, "SELECT COUNT(*) FROM messages WHERE provider_id = 'SM123'"));
      // messages without a provider id never collide
      db.tx(c -> messages.storeInbound(c, null, "webchat", "h1", "a", 3L));
      db.tx(c -> messages.storeInbound(c, null, "webchat", "h1", "a", 3L));
      assertEquals(2, count(db, "SELECT COUNT(*) FROM messages WHERE provider_id IS NULL"));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void contactsAreFoundByKeyedHashAndStoredEncrypted(Engine engine) throws Exception {
    Fixture f = open(engine);
    try (Database db = f.db()) {
      ContactStore contacts = new ContactStore(f.crypto());
      String hash = f.crypto().hash("+15550100");
      var a = db.tx(c -> contacts.findOrCreate(c, hash, "+15550100", "sms", 1L));
      var b = db.tx(c -> contacts.findOrCreate(c, hash, "+15550100", "sms", 2L));
      assertEquals(a.id(), b.id());
      assertEquals(ConversationState.NEW, a.state());
      List<String> rows = db.tx(c -> {
        List<String> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT address_hash, address_enc FROM contacts");
             ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(rs.getString(1) + "|" + rs.getString(2));
          }
        }
        return all;
      });
      assertEquals(1, rows.size());
      assertFalse(rows.get(0).contains("5550100"), "no plain phone number at rest");
      ConversationState s = ConversationState.NEW.withLanguage("ar").withMenu("topic", List.of("housing", "food"));
      db.tx(c -> {
        contacts.saveState(c, a.id(), s, 3L);
        return null;
      });
      assertEquals(s, db.tx(c -> contacts.find(c, hash)).state());
      db.tx(c -> {
        contacts.setOptedOut(c, a.id(), true, "sms", 4L);
        return null;
      });
      assertTrue(db.tx(c -> contacts.find(c, hash)).optedOut());
      assertEquals(1, count(db, "SELECT COUNT(*) FROM consent_log WHERE action = 'opt_out' AND channel = 'sms'"));
      assertNull(db.tx(c -> contacts.find(c, f.crypto().hash("+15550199"))));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void repliesAreStoredEncryptedAndFoundByInboundId(Engine engine) throws Exception {
    Fixture f = open(engine);
    try (Database db = f.db()) {
      MessageStore messages = new MessageStore(f.crypto());
      var in = db.tx(c -> messages.storeInbound(c, "SM9", "sms", "h", "necesito abogado", 1L));
      db.tx(c -> messages.storeOutbound(c, "sms", "h", null, in.id(), "Asesoría legal gratuita", "es", "legal", 1,
          "UCS2", "sent", 2L));
      var reply = db.tx(c -> messages.replyTo(c, in.id()));
      assertNotNull(reply);
      assertEquals("Asesoría legal gratuita", reply.text());
      assertEquals("legal", reply.intent());
      assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE body_enc LIKE '%abogado%' OR body_enc LIKE '%legal%'"));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void migrationsAreRepeatable(Engine engine) throws Exception {
    JsonObject json = TestServer.testConfig(engine);
    Config config = Config.fromJson(json);
    Database.open(config).close();
    try (Database again = Database.open(config)) {
      assertTrue(again.ping());
    }
    if (engine == Engine.SQLITE) {
      assertTrue(Files.exists(Database.sqliteFile(config)));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void retentionRemovesExpiredTextAndKeepsCounts(Engine engine) throws Exception {
    Fixture f = open(engine);
    long day = 86_400_000L;
    long t0 = 1_700_000_000_000L;
    try (Database db = f.db()) {
      MessageStore messages = new MessageStore(f.crypto());
      var old = db.tx(c -> messages.storeInbound(c, "SMold", "sms", "h", "old question", t0));
      var fresh = db.tx(c -> messages.storeInbound(c, "SMnew", "sms", "h", "new question", t0 + 80 * day));
      var unprocessed = db.tx(c -> messages.storeInbound(c, "SMwait", "sms", "h", "not yet answered", t0));
      db.tx(c -> {
        messages.markProcessed(c, old.id(), null, "en", "housing", 0.9, t0);
        messages.markProcessed(c, fresh.id(), null, "en", "health", 0.9, t0 + 80 * day);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (id, channel, to_enc, body_enc, "
            + "created_at, to_hash) VALUES ('o1', 'sms', 'x', 'y', ?, 'h'), ('o2', 'sms', 'x', 'y', ?, 'h')")) {
          ps.setLong(1, t0);
          ps.setLong(2, t0 + 80 * day);
          ps.executeUpdate();
        }
        return null;
      });
      Needs needs = new Needs(f.crypto());
      Needs.Need report = db.tx(c -> needs.create(c, new Needs.NewNeed("association", null, null, null, "food",
          "en", null, 12, null, "Call Amal on +44 7700 900123 about the pantry", "Call Amal on [phone] about the pantry"),
          t0).need());
      Retention retention = new Retention(db, 90, 30, 120);
      assertEquals(new Retention.Result(0, 0, 0), retention.run(t0 + 29 * day), "nothing has expired yet");
      assertEquals(new Retention.Result(0, 1, 0), retention.run(t0 + 31 * day), "outbox expires after 30 days");
      assertEquals(new Retention.Result(1, 0, 0), retention.run(t0 + 91 * day), "message text after 90 days");
      assertEquals("Call Amal on +44 7700 900123 about the pantry", db.tx(c -> needs.original(c, report.id())));
      assertEquals(new Retention.Result(0, 1, 1), retention.run(t0 + 121 * day),
          "report originals after 120 days (and the second outbox entry after its 30)");
      assertNull(db.tx(c -> needs.original(c, report.id())));
      assertEquals("Call Amal on [phone] about the pantry", db.tx(c -> needs.find(c, report.id())).text(),
          "the scrubbed text and the counts stay");
      assertNull(db.tx(c -> body(c, old.id())), "expired text is gone");
      assertNotNull(db.tx(c -> body(c, fresh.id())), "recent text stays");
      assertNotNull(db.tx(c -> body(c, unprocessed.id())), "a message not yet answered is never lost");
      assertEquals(3, count(db, "SELECT COUNT(*) FROM messages"), "rows stay for counts by language and topic");
      assertEquals(1, count(db, "SELECT COUNT(*) FROM messages WHERE intent = 'housing'"));
      assertEquals(new Retention.Result(0, 0, 0), retention.run(t0 + 122 * day), "idempotent");
    }
  }

  private static String body(java.sql.Connection c, String id) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT body_enc FROM messages WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  static long count(Database db, String sql) throws Exception {
    return db.tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}

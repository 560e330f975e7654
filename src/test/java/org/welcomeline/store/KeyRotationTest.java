package org.welcomeline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.outbox.OutboxSender;
import org.welcomeline.config.Config;

/** Key rotation on both engines: old values stay readable, new lookups work at once, the job re-keys all. */
class KeyRotationTest {
  static final String OLD = "old-passphrase-0123456789";
  static final String NEW = "new-passphrase-9876543210";

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rotationReencryptsAndRehashesEverything(Engine engine) throws Exception {
    Config config = Config.fromJson(TestServer.testConfig(engine));
    Crypto old = Crypto.fromConfig(OLD, config.dataDir());
    try (Database db = Database.open(config)) {
      // written with the old key
      Inbox before = new Inbox(db, old);
      List<String> contactIds = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        contactIds.add(before.storeAndClaim(new org.welcomeline.model.InboundMessage("sms", "+1555000" + i, "hola " + i,
            "twilio:SMrot" + engine + i, null, 0, 1000L + i)).contactId());
      }
      new OutboxSender(db, old).send("sms", "+15550003", "aviso");
      Needs oldNeeds = new Needs(old);
      String need = db.tx(c -> oldNeeds.create(c, new Needs.NewNeed("resident", null, contactIds.get(1), null, "food",
          "es", null, null, null, "faltan alimentos, llamar al +1555 0001", "faltan alimentos, llamar al [phone]"),
          1000L).need().id());

      // the server restarts with a new key and the old one as previous
      Crypto rotated = Crypto.fromConfig(NEW, config.dataDir(), OLD);
      Inbox after = new Inbox(db, rotated);
      var again = after.storeAndClaim(new org.welcomeline.model.InboundMessage("sms", "+15550002", "otra vez",
          "twilio:SMrot2" + engine, null, 0, 5000L));
      assertEquals(contactIds.get(2), again.contactId(), "found under its old hash, re-keyed, not duplicated");
      assertEquals(7, count(db, "SELECT COUNT(*) FROM contacts"));

      KeyRotation rotation = new KeyRotation(db, rotated);
      assertTrue(rotation.runAll(3) > 0, "the job works in small batches");
      assertEquals(0, rotation.run(100), "nothing left");

      // everything now opens with the new key alone, and addresses are found by the new hash
      Crypto onlyNew = Crypto.fromConfig(NEW, config.dataDir());
      for (String v : values(db, "SELECT address_enc FROM contacts UNION ALL SELECT body_enc FROM messages "
          + "UNION ALL SELECT to_enc FROM outbox UNION ALL SELECT body_enc FROM outbox "
          + "UNION ALL SELECT text_enc FROM needs")) {
        assertTrue(v.startsWith(onlyNew.currentPrefix()), v);
        onlyNew.decrypt(v);
      }
      assertEquals(7, count(db, "SELECT COUNT(*) FROM contacts WHERE address_hash IN ("
          + String.join(",", hashes(onlyNew)) + ")"));
      assertEquals(1, count(db, "SELECT COUNT(*) FROM outbox WHERE to_hash = '" + onlyNew.hash("+15550003") + "'"));
      assertEquals("faltan alimentos, llamar al +1555 0001", db.tx(c -> new Needs(onlyNew).original(c, need)),
          "reports' originals are re-encrypted too");
      assertEquals(0, count(db, "SELECT COUNT(*) FROM messages WHERE address_hash NOT IN ("
          + String.join(",", hashes(onlyNew)) + ")"));
      String someOld = old.encrypt("secret");
      assertThrows(IllegalStateException.class, () -> onlyNew.decrypt(someOld), "an unknown key is a clear error");
      assertFalse(onlyNew.hasPreviousKeys());
    }
  }

  private static List<String> hashes(Crypto c) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      out.add("'" + c.hash("+1555000" + i) + "'");
    }
    return out;
  }

  private static List<String> values(Database db, String sql) throws Exception {
    return db.tx(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1) != null) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  private static long count(Database db, String sql) throws Exception {
    return StoreContractTest.count(db, sql);
  }
}

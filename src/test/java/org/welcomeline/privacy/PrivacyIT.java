package org.welcomeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.outbox.OutboxSender;
import org.welcomeline.channel.twilio.SmsClient;
import org.welcomeline.content.Locales;
import org.welcomeline.store.Crypto;

/** Residents' rights by message (FORGET, MY DATA), the privacy notice, and security headers, on both engines. */
class PrivacyIT {
  private static final SecureRandom RANDOM = new SecureRandom();

  static String newNumber() {
    return "+1555" + (1_000_000 + RANDOM.nextInt(8_999_999));
  }

  /** Everything any table still holds about one resident, found by scanning every column of every table. */
  record Traces(List<String> hits) {
  }

  static Traces scan(TestServer server, String number, String contactId, List<String> texts) throws Exception {
    Crypto crypto = Crypto.fromConfig("", server.app.config().dataDir());
    String hash = crypto.hash(number);
    return server.app.database().tx(c -> {
      List<String> hits = new ArrayList<>();
      for (String table : tables(c)) {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table); ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String v = rs.getString(i);
              if (v == null) {
                continue;
              }
              String column = md.getColumnName(i).toLowerCase();
              String plain = column.endsWith("_enc") ? crypto.decrypt(v) : v;
              boolean hit = v.equals(hash) || v.equals(contactId) || plain.contains(number.substring(1))
                  || texts.stream().anyMatch(plain::contains);
              if (hit) {
                hits.add(table + "." + column);
              }
            }
          }
        }
      }
      return new Traces(hits);
    });
  }

  static List<String> tables(Connection c) throws java.sql.SQLException {
    DatabaseMetaData md = c.getMetaData();
    List<String> out = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME"));
      }
    }
    assertTrue(out.size() >= 5, "found the application's tables: " + out);
    return out;
  }

  static String contactId(TestServer server, String number) throws Exception {
    String hash = Crypto.fromConfig("", server.app.config().dataDir()).hash(number);
    return value(server, "SELECT id FROM contacts WHERE address_hash = ?", hash);
  }

  /** The first column of the first row of a one-parameter query, or null when there is no row. */
  static String value(TestServer server, String sql, String arg) throws Exception {
    return server.app.database().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void forgetLeavesNoTraceInAnyTable(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    Locales locales = server.backend.locales();
    String resident = newNumber();
    String neighbour = newNumber();
    List<String> residentTexts = List.of("I need a lawyer for my landlord", "Office closed tomorrow for Ramadan 7731");
    List<String> neighbourTexts = List.of("where is the food bank near the station");
    try (SmsClient sms = new SmsClient(server)) {
      assertNotNull(sms.send(neighbour, neighbourTexts.get(0)));
      assertNotNull(sms.send(resident, residentTexts.get(0)));
      assertNotNull(sms.send(resident, "ALERTS HOUSING"));
      assertNotNull(sms.send(resident, "STOP"));
      assertNotNull(sms.send(resident, "START"));
      Crypto crypto = Crypto.fromConfig("", server.app.config().dataDir());
      new OutboxSender(server.app.database(), crypto).send("sms", resident, residentTexts.get(1));
      String id = contactId(server, resident);
      assertNotNull(id);
      Traces before = scan(server, resident, id, residentTexts);
      // the scanner sees the resident everywhere they are stored: contacts, messages, consent, subscriptions, outbox
      for (String table : List.of("contacts", "messages", "consent_log", "subscriptions", "outbox")) {
        assertTrue(before.hits().stream().anyMatch(h -> h.startsWith(table + ".")), table + " in " + before.hits());
      }

      assertEquals(locales.format("en", "forget.confirm"), sms.send(resident, "FORGET"));

      assertEquals(List.of(), scan(server, resident, id, residentTexts).hits(), "nothing about the resident stays");
      assertFalse(scan(server, neighbour, contactId(server, neighbour), neighbourTexts).hits().isEmpty(),
          "other residents are untouched");
      // writing again starts from nothing
      assertNotNull(sms.send(resident, "hello"));
      assertFalse(id.equals(contactId(server, resident)), "a new contact, not the erased one");
    }
  }

  static Stream<String> languagesWithForget() {
    Locales locales = TestServer.get(Engine.SQLITE).backend.locales();
    return locales.languages().stream().filter(l -> locales.hasKey(l, "keywords.forget"));
  }

  @ParameterizedTest
  @MethodSource("languagesWithForget")
  void forgetWorksInEveryLanguage(String language) throws Exception {
    TestServer server = TestServer.get(Engine.SQLITE);
    Locales locales = server.backend.locales();
    String resident = newNumber();
    try (SmsClient sms = new SmsClient(server)) {
      assertNotNull(sms.send(resident, locales.list(language, "language.names").get(0)));
      String keyword = locales.list(language, "keywords.forget").get(0);
      String reply = sms.send(resident, keyword);
      assertEquals(locales.format(language, "forget.confirm"), reply, keyword);
      assertNull(contactId(server, resident), "erased after " + keyword);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void myDataTellsWhatIsKeptAndForHowLong(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    Locales locales = server.backend.locales();
    String resident = newNumber();
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(resident, "hello");
      sms.send(resident, "ALERTS HOUSING");
      sms.send(resident, "ALERTS FOOD");
      String reply = sms.send(resident, "MY DATA");
      String id = contactId(server, resident);
      long stored = Long.parseLong(value(server, "SELECT COUNT(*) FROM messages WHERE contact_id = ?", id));
      // the answer counts what was stored when it was written: everything but the answer itself
      assertTrue(reply.contains((stored - 1) + " messages"), reply);
      assertTrue(reply.contains(server.app.config().retentionMessageDays() + " days"), reply);
      assertTrue(reply.contains(locales.format("en", "topic.housing")), reply);
      assertTrue(reply.contains(locales.format("en", "topic.food")), reply);
    }
  }

  @Test
  void emergencyBySmsIsDiscreetAndHandedToAPerson() throws Exception {
    TestServer server = TestServer.get(Engine.SQLITE);
    Locales locales = server.backend.locales();
    String resident = newNumber();
    try (SmsClient sms = new SmsClient(server)) {
      String reply = sms.send(resident, "my husband is hitting me and i am scared");
      assertEquals(locales.format("en", "discreet.reply", "number", server.app.config().emergencyNumber()), reply);
      for (String word : List.of(locales.format("en", "topic.emergency"), "police", "violence", "danger")) {
        assertFalse(reply.toLowerCase().contains(word.toLowerCase()), word + " in " + reply);
      }
      String id = contactId(server, resident);
      String state = value(server, "SELECT state FROM contacts WHERE id = ?", id);
      assertTrue(state.contains("\"handoff\":true"), state);
    }
  }

  @Test
  void helpCarriesThePrivacyNotice() throws Exception {
    TestServer server = TestServer.get(Engine.SQLITE);
    try (SmsClient sms = new SmsClient(server)) {
      String reply = sms.send(newNumber(), "HELP");
      assertTrue(reply.contains(server.backend.locales().format("en", "privacy.notice", "days",
          server.app.config().retentionMessageDays())), reply);
    }
  }

  @Test
  void privacyNoticeIsServedPerLanguageWithExplicitFallback() throws Exception {
    TestServer server = TestServer.get(Engine.SQLITE);
    Locales locales = server.backend.locales();
    WebClient http = WebClient.create(server.vertx);
    try {
      for (String lang : locales.languages()) {
        JsonObject p = http.get(server.port(), "127.0.0.1", "/api/v1/privacy?language=" + lang).send()
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject();
        boolean own = locales.hasKey(lang, "privacy.notice");
        assertEquals(!own, p.getBoolean("fallback"), lang);
        assertEquals(locales.format(own ? lang : "en", "privacy.notice", "days",
            server.app.config().retentionMessageDays()), p.getString("text"), lang);
      }
      JsonObject unknown = http.get(server.port(), "127.0.0.1", "/api/v1/privacy?language=xx").send()
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals("en", unknown.getString("language"));
      assertTrue(unknown.getBoolean("fallback"));
    } finally {
      http.close();
    }
  }

  @Test
  void securityHeadersAndHstsOnlyBehindTls() throws Exception {
    TestServer server = TestServer.get(Engine.SQLITE);
    WebClient http = WebClient.create(server.vertx);
    try {
      var plain = http.get(server.port(), "127.0.0.1", "/").send()
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      String csp = plain.getHeader("Content-Security-Policy");
      assertNotNull(csp);
      assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
      assertTrue(csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("nosniff", plain.getHeader("X-Content-Type-Options"));
      assertNull(plain.getHeader("Strict-Transport-Security"), "no HSTS over plain HTTP");
      var proxied = http.get(server.port(), "127.0.0.1", "/healthz").putHeader("X-Forwarded-Proto", "https").send()
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertTrue(proxied.getHeader("Strict-Transport-Security").startsWith("max-age="));
    } finally {
      http.close();
    }
  }
}

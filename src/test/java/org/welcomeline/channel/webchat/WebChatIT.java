package org.welcomeline.channel.webchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.content.ContentCatalog;
import org.welcomeline.content.ServiceInfo;

/** The resident web chat against the real server, with a real WebSocket client, on both databases. */
class WebChatIT {

  static String session() {
    return UUID.randomUUID().toString();
  }

  static ServiceInfo content(String lang, String topic) throws Exception {
    return ContentCatalog.read(Path.of("content", lang, "services.yaml")).get(topic);
  }

  static void assertAnswer(JsonObject reply, String lang, String topic) throws Exception {
    assertEquals("reply", reply.getString("type"), reply.encode());
    assertEquals(lang, reply.getString("language"), reply.encode());
    assertEquals(topic, reply.getString("intent"), reply.encode());
    assertTrue(reply.getString("text").contains(content(lang, topic).contact()), reply.encode());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void answersInSpanishArabicAndUkrainianSwitchingMidConversation(Engine engine) throws Exception {
    TestServer s = TestServer.get(engine);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session())) {
      assertAnswer(chat.ask("1", "hola, necesito un abogado para mis papeles"), "es", "legal");
      JsonObject ar = chat.ask("2", "أحتاج مساعدة في إيجاد سكن لعائلتي");
      assertAnswer(ar, "ar", "housing");
      assertEquals("rtl", ar.getString("dir"));
      JsonObject uk = chat.ask("3", "мені потрібен лікар, дитина хворіє");
      assertAnswer(uk, "uk", "health");
      assertEquals("ltr", uk.getString("dir"));
    }
  }

  @Test
  void shortAmbiguousTextsKeepTheConversationLanguage() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session())) {
      assertAnswer(chat.ask("1", "donde puedo aprender ingles gratis"), "es", "language_classes");
      for (String t : new String[] {"ok", "👍", "1"}) {
        JsonObject r = chat.ask("k" + t.hashCode(), t);
        assertEquals("es", r.getString("language"), t + " -> " + r.encode());
      }
    }
  }

  @Test
  void unsureFirstMessageGetsALanguageMenuAndADigitPicksIt() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session())) {
      JsonObject menu = chat.ask("1", "👍");
      assertEquals("menu:language", menu.getString("intent"), menu.encode());
      var options = menu.getJsonArray("options");
      assertTrue(options.size() >= 2 && options.size() <= 5, menu.encode());
      int pick = options.getList().indexOf("ar");
      if (pick < 0) {
        pick = 1;
      }
      String chosen = options.getString(pick);
      JsonObject r = chat.ask("2", String.valueOf(pick + 1));
      assertEquals(chosen, r.getString("language"), r.encode());
      assertEquals("command:language", r.getString("intent"));
    }
  }

  @Test
  void languageByNameOrCodeAndPickerFrame() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session())) {
      assertEquals("es", chat.ask("1", "español").getString("language"));
      assertEquals("ar", chat.ask("2", "عربي").getString("language"));
      assertEquals("uk", chat.ask("3", "UK").getString("language"));
      chat.send(new JsonObject().put("type", "language").put("code", "fr").put("id", "4"));
      JsonObject r = chat.next();
      assertEquals("fr", r.getString("language"), r.encode());
      assertEquals("command:language", r.getString("intent"));
    }
  }

  @Test
  void emergencyLeadsWithTheEmergencyNumber() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session())) {
      JsonObject r = chat.ask("1", "my husband is hitting me, I am scared for my life");
      assertEquals("emergency", r.getString("intent"), r.encode());
      String first = r.getString("text").split("\n")[0];
      assertTrue(first.contains(s.app.config().emergencyNumber()), r.encode());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aResentMessageIdIsAnsweredOnceAndStoredOnce(Engine engine) throws Exception {
    TestServer s = TestServer.get(engine);
    String session = session();
    JsonObject first;
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session)) {
      first = chat.ask("m1", "je cherche du travail");
    }
    // reconnect (as after a dropped connection) and resend the same id
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session)) {
      JsonObject again = chat.ask("m1", "je cherche du travail");
      assertEquals(first.getString("text"), again.getString("text"));
      JsonObject next = chat.ask("m2", "ok");
      assertEquals("fr", next.getString("language"), "the conversation survives the reconnect");
    }
    long stored = s.app.database().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM messages WHERE provider_id = ? AND direction = 'in'")) {
        ps.setString(1, "webchat:" + session + ":m1");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
    assertEquals(1, stored);
  }

  @Test
  void badFramesGetClearErrorsAndTheSocketStaysUsable() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session())) {
      chat.sendRaw("not json");
      assertEquals("bad_json", chat.next().getString("code"));
      chat.sendRaw("[1,2]");
      assertEquals("bad_json", chat.next().getString("code"));
      chat.sendBinary(new byte[] {0, 1, 2, (byte) 0xff});
      assertEquals("binary_not_supported", chat.next().getString("code"));
      chat.send(new JsonObject().put("type", "video"));
      assertEquals("unknown_type", chat.next().getString("code"));
      chat.send(new JsonObject().put("type", "message").put("text", 42));
      assertEquals("bad_text", chat.next().getString("code"));
      chat.send(new JsonObject().put("type", "message").put("text", "x").put("id", "bad id with spaces"));
      assertEquals("bad_id", chat.next().getString("code"));
      chat.send(new JsonObject().put("type", "message").put("text", "a".repeat(s.app.config().maxTextChars() + 1)));
      assertEquals("too_long", chat.next().getString("code"));
      JsonObject empty = chat.ask("e", "   \u0000\u0007  ");
      assertEquals("error:empty", empty.getString("intent"), empty.encode());
      JsonObject longText = chat.ask("l", "necesito ayuda con la vivienda ".repeat(200).substring(0, 5000));
      assertEquals("reply", longText.getString("type"));
      JsonObject mixed = chat.ask("x", "hello مرحبا привет 你好 😀");
      assertEquals("reply", mixed.getString("type"));
      assertAnswer(chat.ask("ok", "necesito un medico"), "es", "health");
    }
  }

  @Test
  void aBurstOfAThousandFramesIsBoundedAndNothingAcceptedIsLost() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    String session = session();
    int n = 1000;
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), session)) {
      for (int i = 0; i < n; i++) {
        chat.message("b" + i, "busco trabajo " + i);
      }
      Set<String> answered = new HashSet<>();
      int refused = 0;
      for (int i = 0; i < n; i++) {
        JsonObject f = chat.next();
        assertNotNull(f.getString("id"), f.encode());
        if (f.getString("type").equals("reply")) {
          answered.add(f.getString("id"));
        } else {
          assertEquals("too_many", f.getString("code"), f.encode());
          refused++;
        }
      }
      assertEquals(n, answered.size() + refused);
      assertTrue(refused > 0, "a burst must hit the per-socket bound");
      assertFalse(answered.isEmpty());
      long stored = s.app.database().tx(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT COUNT(*) FROM messages WHERE provider_id LIKE ? AND direction = 'in' AND status = 'processed'")) {
          ps.setString(1, "webchat:" + session + ":%");
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      });
      assertEquals(answered.size(), stored, "every accepted message is stored and answered");
      assertAnswer(chat.ask("after", "necesito un medico"), "es", "health");
    }
  }

  @Test
  void aSocketWithoutSessionIsGivenOne() throws Exception {
    TestServer s = TestServer.get(Engine.SQLITE);
    try (ChatClient chat = new ChatClient(s.vertx, s.port(), null)) {
      JsonObject hello = chat.next();
      assertEquals("session", hello.getString("type"));
      assertTrue(hello.getString("session").length() >= 16);
    }
  }
}

package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.SmsClient;
import org.welcomeline.channel.webchat.ChatClient;
import org.welcomeline.content.Locales;
import org.welcomeline.store.StaffStore.Role;

/** The staff console API against the real server: login, lockout, CSRF, roles, inbox and handoff. */
class ConsoleIT {
  static TestServer server;
  static Locales locales;

  @BeforeAll
  static void start() {
    server = TestServer.get(Engine.SQLITE);
    locales = server.backend.locales();
  }

  static String number() {
    return "+1555" + (2_000_000 + (int) (Math.random() * 7_000_000));
  }

  static JsonObject waiting(StaffApi staff, String channel, String language) throws Exception {
    JsonArray list = staff.get("/inbox").bodyAsJsonObject().getJsonArray("conversations");
    JsonObject newest = null;
    for (int i = 0; i < list.size(); i++) {
      JsonObject c = list.getJsonObject(i);
      if (c.getString("channel").equals(channel) && language.equals(c.getString("language"))) {
        newest = c;
      }
    }
    return newest;
  }

  @Test
  void loginNeedsTheRightPasswordAndLocksAfterRepeatedFailures() throws Exception {
    String user = StaffApi.newUser(server, Role.VIEWER);
    try (StaffApi staff = new StaffApi(server)) {
      assertEquals(401, staff.get("/me").statusCode(), "no session, no data");
      assertEquals("bad_credentials", StaffApi.errorCode(staff.login(user, "wrong password 1")));
      assertEquals("bad_credentials", StaffApi.errorCode(staff.login("nobody-" + UUID.randomUUID(), "whatever it is")));
      for (int i = 2; i <= 4; i++) {
        assertEquals(401, staff.login(user, "wrong password " + i).statusCode());
      }
      assertEquals("locked", StaffApi.errorCode(staff.login(user, "wrong password 5")));
      assertEquals("locked", StaffApi.errorCode(staff.login(user, StaffApi.PASSWORD)),
          "even the right password waits for the lock to end");
    }
    String other = StaffApi.newUser(server, Role.VIEWER);
    try (StaffApi staff = new StaffApi(server)) {
      var ok = staff.login(other, StaffApi.PASSWORD);
      assertEquals(200, ok.statusCode());
      String set = ok.cookies().get(0);
      assertTrue(set.toLowerCase().contains("httponly") && set.contains("SameSite=Strict"), set);
      assertEquals("viewer", staff.get("/me").bodyAsJsonObject().getString("role"));
    }
  }

  @Test
  void stateChangesNeedTheCsrfTokenAndTheRole() throws Exception {
    String viewer = StaffApi.newUser(server, Role.VIEWER);
    String editor = StaffApi.newUser(server, Role.EDITOR);
    try (StaffApi v = new StaffApi(server); StaffApi e = new StaffApi(server)) {
      v.login(viewer, StaffApi.PASSWORD);
      e.login(editor, StaffApi.PASSWORD);
      JsonObject body = new JsonObject().put("text", "hello");
      assertEquals("csrf", StaffApi.errorCode(e.call("POST", "/conversations/x/reply", body, false)));
      String good = e.csrf;
      e.csrf = "forged-" + good;
      assertEquals("csrf", StaffApi.errorCode(e.post("/conversations/x/reply", body)));
      e.csrf = good;
      assertEquals("forbidden", StaffApi.errorCode(v.post("/conversations/x/reply", body)));
      assertEquals("forbidden", StaffApi.errorCode(v.get("/audit")), "only admins read the audit log");
      assertEquals("not_found", StaffApi.errorCode(e.post("/conversations/x/reply", body)));
      // malformed JSON is a clear 400, not a 500
      var malformed = e.http.post(server.port(), "127.0.0.1", "/api/v1/console/broadcasts")
          .putHeader("Cookie", e.cookie).putHeader("X-CSRF-Token", e.csrf).putHeader("Content-Type", "application/json")
          .sendBuffer(io.vertx.core.buffer.Buffer.buffer("{\"texts\": [1, 2")).toCompletionStage()
          .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(400, malformed.statusCode(), malformed.bodyAsString());
      assertEquals("bad_json", StaffApi.errorCode(malformed));
      assertEquals(403, v.call("POST", "/logout", null, false).statusCode(), "logout needs the token too");
    }
  }

  @Test
  void smsHandoffStaffReplyAndClose() throws Exception {
    String editor = StaffApi.newUser(server, Role.EDITOR);
    String resident = number();
    try (SmsClient sms = new SmsClient(server); StaffApi staff = new StaffApi(server)) {
      assertEquals(locales.format("fr", "human.handoff"), sms.send(resident, "je veux parler a une personne svp"));
      assertNull(sms.send(resident, "c'est urgent pour mon loyer"), "handed off: the bot stays quiet");
      staff.login(editor, StaffApi.PASSWORD);
      JsonObject item = waiting(staff, "sms", "fr");
      assertNotNull(item, "the conversation is in the inbox");
      String id = item.getString("id");
      JsonObject conv = staff.get("/conversations/" + id).bodyAsJsonObject();
      List<String> texts = conv.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getString("text")).toList();
      assertTrue(texts.contains("c'est urgent pour mon loyer"), texts.toString());
      assertFalse(conv.getJsonArray("canned").isEmpty());

      assertEquals("too_long", StaffApi.errorCode(staff.post("/conversations/" + id + "/reply",
          new JsonObject().put("text", "x".repeat(10_000)))));
      assertEquals("empty_text", StaffApi.errorCode(staff.post("/conversations/" + id + "/reply",
          new JsonObject().put("text", "  "))));
      String answer = "Bonjour, ici Marie du service logement. Pouvez-vous passer demain à 10h ?";
      assertEquals(200, staff.post("/conversations/" + id + "/reply", new JsonObject().put("text", answer))
          .statusCode());
      assertEquals(List.of(answer), StaffApi.outboxTo(server, resident), "the reply went out by SMS, once");

      assertEquals(200, staff.post("/conversations/" + id + "/close", null).statusCode());
      assertEquals(List.of(answer, locales.format("fr", "handoff.closed")), StaffApi.outboxTo(server, resident));
      assertFalse(staff.get("/inbox").bodyAsString().contains(id), "closed conversations leave the inbox");
      assertNotNull(sms.send(resident, "ou est la banque alimentaire"), "the bot answers again");
    }
  }

  @Test
  void staffReplyReachesAnOpenWebChat() throws Exception {
    String editor = StaffApi.newUser(server, Role.EDITOR);
    String session = "console-" + UUID.randomUUID();
    try (ChatClient chat = new ChatClient(server.vertx, server.port(), session);
         StaffApi staff = new StaffApi(server)) {
      chat.send(new JsonObject().put("type", "language").put("code", "es").put("id", "0"));
      chat.next();
      JsonObject handoff = chat.ask("1", "quiero hablar con una persona");
      assertEquals("human", handoff.getString("intent"), handoff.encode());
      staff.login(editor, StaffApi.PASSWORD);
      String id = null;
      JsonArray list = staff.get("/inbox").bodyAsJsonObject().getJsonArray("conversations");
      for (int i = 0; i < list.size(); i++) {
        String cid = list.getJsonObject(i).getString("id");
        JsonObject conv = staff.get("/conversations/" + cid).bodyAsJsonObject();
        if (conv.getString("channel").equals("webchat") && conv.getJsonArray("messages").stream()
            .anyMatch(m -> "quiero hablar con una persona".equals(((JsonObject) m).getString("text")))) {
          id = cid;
        }
      }
      assertNotNull(id);
      assertEquals(200, staff.post("/conversations/" + id + "/reply", new JsonObject().put("text", "Hola, soy Ana."))
          .statusCode());
      JsonObject frame = chat.next();
      assertEquals("Hola, soy Ana.", frame.getString("text"), frame.encode());
      assertEquals("staff", frame.getString("intent"));

      // the resident closes the page; the next answer waits for their next visit
      chat.close();
      JsonObject later = staff.post("/conversations/" + id + "/reply",
          new JsonObject().put("text", "Le escribo mañana con la dirección.")).bodyAsJsonObject();
      assertEquals("waiting", later.getString("status"), later.encode());
      assertEquals("waiting", lastStatus(staff, id));
      try (ChatClient back = new ChatClient(server.vertx, server.port(), session)) {
        JsonObject shown = back.next();
        assertEquals("Le escribo mañana con la dirección.", shown.getString("text"), shown.encode());
        assertEquals("es", shown.getString("language"));
      }
      assertEquals("delivered", lastStatus(staff, id));
    }
  }

  private static String lastStatus(StaffApi staff, String conversation) throws Exception {
    JsonArray messages = staff.get("/conversations/" + conversation).bodyAsJsonObject().getJsonArray("messages");
    return messages.getJsonObject(messages.size() - 1).getString("status");
  }
}

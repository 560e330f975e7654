package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.SmsClient;
import org.welcomeline.channel.webchat.ChatClient;
import org.welcomeline.content.Locales;
import org.welcomeline.store.StaffStore.Role;

/**
 * Broadcasts on their own instance (en, es, ar; approval above 2 recipients): compose with validation,
 * preview per language with fallback, second-person approval, send once, paced delivery to the outbox.
 */
class BroadcastIT {
  static TestServer server;
  static Locales locales;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.testConfig(Engine.SQLITE)
        .put("languages", new JsonArray().add("en").add("es").add("ar"))
        .put("broadcast_approval_over", 2).put("broadcast_rate_per_second", 50));
    locales = server.backend.locales();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static String alerts(String lang, String topic) {
    return locales.list(lang, "keywords.alerts").get(0) + " " + locales.list(lang, "topic." + topic + ".keywords").get(0);
  }

  @Test
  void composeValidatePreviewApproveAndSendExactlyOnce() throws Exception {
    String en = "+15557000001";
    String es = "+15557000002";
    String ar = "+15557000003";
    String stopped = "+15557000004";
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(en, "hello");
      sms.send(en, alerts("en", "housing"));
      sms.send(es, "hola, necesito ayuda");
      sms.send(es, alerts("es", "housing"));
      sms.send(ar, "مرحبا أحتاج مساعدة");
      sms.send(ar, alerts("ar", "housing"));
      sms.send(stopped, alerts("en", "housing"));
      sms.send(stopped, "STOP");
    }
    String editor = StaffApi.newUser(server, Role.EDITOR);
    String approver = StaffApi.newUser(server, Role.APPROVER);
    try (StaffApi ed = new StaffApi(server); StaffApi ap = new StaffApi(server)) {
      ed.login(editor, StaffApi.PASSWORD);
      ap.login(approver, StaffApi.PASSWORD);
      JsonObject housing = new JsonObject().put("topics", new JsonArray().add("housing"));
      JsonObject texts = new JsonObject().put("en", "The housing office is closed on Friday.")
          .put("es", "La oficina de vivienda cierra el viernes.");
      // bad input: clear errors, nothing stored
      assertEquals("bad_topic", StaffApi.errorCode(ed.post("/broadcasts", new JsonObject().put("texts", texts)
          .put("audience", new JsonObject().put("topics", new JsonArray().add("weather"))))));
      assertEquals("bad_district", StaffApi.errorCode(ed.post("/broadcasts", new JsonObject().put("texts", texts)
          .put("audience", new JsonObject().put("districts", new JsonArray().add("atlantis"))))));
      assertEquals("no_text", StaffApi.errorCode(ed.post("/broadcasts", new JsonObject()
          .put("texts", new JsonObject().put("en", "  ")).put("audience", housing))));
      assertEquals("too_long", StaffApi.errorCode(ed.post("/broadcasts", new JsonObject()
          .put("texts", new JsonObject().put("en", "x".repeat(10_000))).put("audience", housing))));
      assertEquals("bad_fallback", StaffApi.errorCode(ed.post("/broadcasts", new JsonObject().put("texts", texts)
          .put("audience", housing).put("fallback", "ar"))));

      JsonObject b = ed.post("/broadcasts", new JsonObject().put("texts", texts).put("audience", housing)
          .put("fallback", "en")).bodyAsJsonObject();
      String id = b.getString("id");
      assertEquals(3, b.getInteger("recipients"), "opted-out residents are not counted: " + b.encode());
      assertEquals(new JsonArray().add("ar"), b.getJsonArray("missing_languages"));
      JsonObject arRow = b.getJsonArray("preview").stream().map(o -> (JsonObject) o)
          .filter(r -> r.getString("language").equals("ar")).findFirst().orElseThrow();
      assertEquals("en", arRow.getString("text_language"));
      assertTrue(arRow.getBoolean("fallback"));
      assertTrue(b.getDouble("estimated_cost") > 0);
      assertTrue(b.getBoolean("needs_approval"));

      assertEquals("approval_required", StaffApi.errorCode(ed.post("/broadcasts/" + id + "/send", null)));
      assertEquals("forbidden", StaffApi.errorCode(ed.post("/broadcasts/" + id + "/approve", null)));
      assertEquals(200, ap.post("/broadcasts/" + id + "/approve", null).statusCode());
      assertEquals(200, ed.post("/broadcasts/" + id + "/send", null).statusCode());
      assertEquals(200, ed.post("/broadcasts/" + id + "/send", null).statusCode(), "a double click changes nothing");

      long deadline = System.currentTimeMillis() + 30_000;
      JsonObject now = ed.get("/broadcasts/" + id).bodyAsJsonObject();
      while (!now.getString("status").equals("sent") && System.currentTimeMillis() < deadline) {
        Thread.onSpinWait();
        now = ed.get("/broadcasts/" + id).bodyAsJsonObject();
      }
      assertEquals("sent", now.getString("status"), now.encode());
      assertEquals(List.of("The housing office is closed on Friday.\n" + locales.format("en", "broadcast.footer")),
          StaffApi.outboxTo(server, en));
      assertEquals(List.of("La oficina de vivienda cierra el viernes.\n" + locales.format("es", "broadcast.footer")),
          StaffApi.outboxTo(server, es));
      assertEquals(List.of("The housing office is closed on Friday.\n" + locales.format("en", "broadcast.footer")),
          StaffApi.outboxTo(server, ar), "Arabic readers get the English fallback, as the preview said");
      assertTrue(StaffApi.outboxTo(server, stopped).isEmpty(), "nothing to a resident who sent STOP");
      assertEquals(1, now.getJsonObject("progress").getJsonObject("es").getInteger("sent"));
    }
  }

  @Test
  void scheduledBroadcastStartsByItselfAndTheSameTextTwiceNeedsConfirmation() throws Exception {
    String resident = "+15557000010";
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(resident, "hello");
      sms.send(resident, alerts("en", "food"));
    }
    String editor = StaffApi.newUser(server, Role.EDITOR);
    try (StaffApi ed = new StaffApi(server)) {
      ed.login(editor, StaffApi.PASSWORD);
      JsonObject compose = new JsonObject().put("texts", new JsonObject().put("en", "Free lunch on Sunday at noon."))
          .put("audience", new JsonObject().put("topics", new JsonArray().add("food")));
      String id = ed.post("/broadcasts", compose).bodyAsJsonObject().getString("id");
      assertEquals("bad_schedule", StaffApi.errorCode(ed.post("/broadcasts/" + id + "/send",
          new JsonObject().put("scheduled_at", System.currentTimeMillis() - 60_000))));
      JsonObject scheduled = ed.post("/broadcasts/" + id + "/send",
          new JsonObject().put("scheduled_at", System.currentTimeMillis() + 1_000)).bodyAsJsonObject();
      assertEquals("scheduled", scheduled.getString("status"));
      assertTrue(StaffApi.outboxTo(server, resident).isEmpty(), "nothing before its time");
      long deadline = System.currentTimeMillis() + 30_000;
      while (!ed.get("/broadcasts/" + id).bodyAsJsonObject().getString("status").equals("sent")
          && System.currentTimeMillis() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, StaffApi.outboxTo(server, resident).size());

      String again = ed.post("/broadcasts", compose).bodyAsJsonObject().getString("id");
      assertEquals("duplicate_recent", StaffApi.errorCode(ed.post("/broadcasts/" + again + "/send", null)));
      assertEquals(200, ed.post("/broadcasts/" + again + "/send", new JsonObject().put("confirm_duplicate", true))
          .statusCode());
    }
  }

  @Test
  void aCancelledBroadcastCannotBeSent() throws Exception {
    String editor = StaffApi.newUser(server, Role.EDITOR);
    try (StaffApi ed = new StaffApi(server)) {
      ed.login(editor, StaffApi.PASSWORD);
      String id = ed.post("/broadcasts", new JsonObject().put("texts", new JsonObject().put("en", "Test"))
          .put("audience", new JsonObject().put("topics", new JsonArray().add("food")))).bodyAsJsonObject()
          .getString("id");
      assertEquals("cancelled", ed.post("/broadcasts/" + id + "/cancel", null).bodyAsJsonObject().getString("status"));
      assertEquals("bad_state", StaffApi.errorCode(ed.post("/broadcasts/" + id + "/send", null)));
      assertFalse(ed.get("/broadcasts/" + id).bodyAsJsonObject().getJsonObject("progress").containsKey("en"));
    }
  }

  @Test
  void aDistrictBroadcastReachesAWebChatSubscriberAtTheNextVisitAndNobodyElsewhere() throws Exception {
    List<String> districts = server.app.config().districts();
    String session = "district-" + java.util.UUID.randomUUID();
    String elsewhere = "+15557000020";
    try (ChatClient chat = new ChatClient(server.vertx, server.port(), session)) {
      chat.send(new JsonObject().put("type", "language").put("code", "es").put("id", "0"));
      chat.next();
      JsonObject asked = chat.ask("1", alerts("es", "employment"));
      assertTrue(asked.getString("text").contains(locales.format("es", "subscribe.ask_district")), asked.encode());
      JsonObject confirmed = chat.ask("2", "1");
      assertEquals(locales.format("es", "subscribe.confirm.district", "topic", locales.format("es", "topic.employment"),
          "district", locales.district("es", districts.get(0))), confirmed.getString("text"));
    } // the resident leaves the page
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(elsewhere, "hello");
      sms.send(elsewhere, alerts("en", "employment"));
      sms.send(elsewhere, "2"); // another district
    }
    String editor = StaffApi.newUser(server, Role.EDITOR);
    try (StaffApi ed = new StaffApi(server)) {
      ed.login(editor, StaffApi.PASSWORD);
      JsonObject b = ed.post("/broadcasts", new JsonObject()
          .put("texts", new JsonObject().put("en", "Job fair on Monday.").put("es", "Feria de empleo el lunes."))
          .put("audience", new JsonObject().put("topics", new JsonArray().add("employment"))
              .put("districts", new JsonArray().add(districts.get(0))))).bodyAsJsonObject();
      assertEquals(1, b.getInteger("recipients"), b.encode());
      String id = b.getString("id");
      assertEquals(200, ed.post("/broadcasts/" + id + "/send", null).statusCode());
      long deadline = System.currentTimeMillis() + 30_000;
      while (!ed.get("/broadcasts/" + id).bodyAsJsonObject().getString("status").equals("sent")
          && System.currentTimeMillis() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals("sent", ed.get("/broadcasts/" + id).bodyAsJsonObject().getString("status"));
    }
    assertTrue(StaffApi.outboxTo(server, elsewhere).stream().noneMatch(t -> t.contains("Job fair")),
        "a subscriber in another district gets nothing");
    try (ChatClient back = new ChatClient(server.vertx, server.port(), session)) {
      JsonObject shown = back.next();
      assertEquals("Feria de empleo el lunes.", shown.getString("text"), shown.encode());
      assertEquals("broadcast", shown.getString("intent"));
    }
  }
}

package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.SmsClient;
import org.welcomeline.content.Locales;
import org.welcomeline.store.StaffStore.Role;

/**
 * Community needs end to end on both engines: associations by API and CSV, a resident by SMS in
 * Arabic, the dashboard (scrubbed, grouped, k-suppressed), exports, Open311, status back to the
 * reporter in their language, live events.
 */
class NeedsIT {
  private static final Pattern CODE = Pattern.compile("\\d{7}");

  static String newNumber() {
    return "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
  }

  /** A fresh staff member with this role, logged in. */
  static StaffApi signedIn(TestServer server, Role role) throws Exception {
    StaffApi staff = new StaffApi(server);
    staff.login(StaffApi.newUser(server, role), StaffApi.PASSWORD);
    return staff;
  }

  /** Registers an association through the console (as an admin) and returns its API key. */
  static String register(TestServer server, StaffApi admin, String name) throws Exception {
    JsonObject a = admin.post("/associations", new JsonObject().put("name", name)).bodyAsJsonObject();
    assertTrue(a.getString("key").startsWith("wl_"), a.encode());
    return a.getString("key");
  }

  static HttpResponse<Buffer> api(TestServer server, String method, String path, String key, String contentType,
                                  Buffer body) throws Exception {
    var req = WebClient.create(server.vertx).request(HttpMethod.valueOf(method), server.port(), "127.0.0.1", path);
    if (key != null) {
      req.putHeader("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    return (body == null ? req.send() : req.sendBuffer(body)).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> postJson(TestServer server, String key, JsonObject body) throws Exception {
    return api(server, "POST", "/api/v1/needs", key, "application/json", body.toBuffer());
  }

  static String error(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void associationsReportByJsonWithClearErrorsAndIdempotentExternalIds(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    try (StaffApi admin = signedIn(server, Role.ADMIN)) {
      String key = register(server, admin, "Food bank north " + engine);
      assertEquals("api_key_required", error(postJson(server, null, new JsonObject().put("text", "x"))));
      assertEquals(401, postJson(server, "wl_not-a-key", new JsonObject().put("text", "x")).statusCode());
      assertEquals("bad_api_key", error(postJson(server, "wl_not-a-key", new JsonObject().put("text", "x"))));
      assertEquals("missing_text", error(postJson(server, key, new JsonObject().put("topic", "food"))));
      assertEquals("too_long", error(postJson(server, key, new JsonObject().put("text", "a".repeat(2001)))));
      assertEquals("bad_district", error(postJson(server, key, new JsonObject().put("text", "Need blankets")
          .put("district", "atlantis"))));
      assertEquals("bad_topic", error(postJson(server, key, new JsonObject().put("text", "Need blankets")
          .put("topic", "weather"))));
      assertEquals("bad_people", error(postJson(server, key, new JsonObject().put("text", "Need blankets")
          .put("people", -3))));
      assertEquals("bad_json", error(api(server, "POST", "/api/v1/needs", key, "application/json",
          Buffer.buffer("{not json"))));

      // topic and language classified when not given; the text officials see has no phone number
      HttpResponse<Buffer> r = postJson(server, key, new JsonObject()
          .put("text", "Twelve families need food parcels this week, call Fatima on +44 7700 900123")
          .put("district", "north").put("people", 40).put("external_id", "fb-" + engine + "-1"));
      assertEquals(201, r.statusCode(), r.bodyAsString());
      JsonObject need = r.bodyAsJsonObject();
      assertTrue(CODE.matcher(need.getString("code")).matches(), need.encode());
      assertEquals("food", need.getString("topic"));
      assertEquals("en", need.getString("language"));
      assertFalse(need.getString("text").contains("7700"), need.getString("text"));
      assertTrue(need.getString("text").contains("Twelve families need food parcels"), need.getString("text"));
      HttpResponse<Buffer> again = postJson(server, key, new JsonObject().put("text", "Twelve families (resent)")
          .put("external_id", "fb-" + engine + "-1"));
      assertEquals(200, again.statusCode());
      assertEquals(need.getString("code"), again.bodyAsJsonObject().getString("code"), "a resend is not a new report");

      // a batch keeps the valid items and says which ones failed
      JsonObject batch = postJson(server, key, new JsonObject().put("needs", new JsonArray()
          .add(new JsonObject().put("text", "Winter coats for 8 children").put("topic", "benefits"))
          .add(new JsonObject().put("text", "").put("topic", "food"))
          .add(new JsonObject().put("text", "Lawyer for asylum appeals").put("urgency", "soonish"))
          .add("not an object"))).bodyAsJsonObject();
      assertEquals(1, batch.getInteger("created"), batch.encode());
      assertEquals(List.of(1, 2, 3), batch.getJsonArray("errors").stream()
          .map(e -> ((JsonObject) e).getInteger("index")).toList());
      assertEquals("bad_urgency", batch.getJsonArray("errors").getJsonObject(1).getString("code"));

      // a revoked key stops working at once
      JsonArray list = admin.get("/associations").bodyAsJsonObject().getJsonArray("associations");
      String id = list.stream().map(o -> (JsonObject) o).filter(a -> a.getString("name").equals("Food bank north "
          + engine)).findFirst().orElseThrow().getString("id");
      assertEquals(200, admin.post("/associations/" + id + "/revoke", null).statusCode());
      assertEquals("bad_api_key", error(postJson(server, key, new JsonObject().put("text", "Need blankets"))));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void csvUploadKeepsValidRowsAndRefusesBrokenFilesWhole(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    try (StaffApi admin = signedIn(server, Role.ADMIN)) {
      String key = register(server, admin, "Welcome circle " + engine);
      String csv = "\uFEFFtext,topic,language,district,people,urgency,external_id\n"
          + "\"Clases de idioma para 15 madres, por la tarde\",language_classes,,south,15,week,wc-" + engine + "-1\n"
          + "Need a Tigrinya interpreter at the clinic,health,en,atlantis,,,\n"
          + ",food,en,,,,\n"
          + "\"Bus passes for 20 students, email ana@example.org\",transport,en,east,twenty,,\n"
          + "Family of 5 needs a flat,housing,en,east,5,today,wc-" + engine + "-4\n";
      JsonObject result = api(server, "POST", "/api/v1/needs/csv", key, "text/csv",
          Buffer.buffer(csv.getBytes(StandardCharsets.UTF_8))).bodyAsJsonObject();
      assertEquals(5, result.getInteger("rows"), result.encode());
      assertEquals(2, result.getInteger("created"), result.encode());
      assertEquals(List.of(3, 4, 5), result.getJsonArray("errors").stream()
          .map(e -> ((JsonObject) e).getInteger("row")).toList(), "rows are numbered as in a spreadsheet");
      assertEquals(List.of("bad_district", "missing_text", "bad_people"), result.getJsonArray("errors").stream()
          .map(e -> ((JsonObject) e).getString("code")).toList());
      String firstCode = result.getJsonArray("needs").getJsonObject(0).getString("code");
      JsonObject first = admin.get("/needs?topic=language_classes&days=1").bodyAsJsonObject().getJsonArray("needs")
          .stream().map(o -> (JsonObject) o).filter(n -> n.getString("code").equals(firstCode)).findFirst()
          .orElseThrow();
      assertEquals("es", first.getString("language"), "a row without a language is detected: " + first.encode());
      assertEquals(15, first.getInteger("people"));
      assertEquals("week", first.getString("urgency"));

      int before = count(server);
      assertEquals("bad_columns", error(api(server, "POST", "/api/v1/needs/csv", key, "text/csv",
          Buffer.buffer("need,place\nblankets,north\n"))));
      assertEquals("bad_columns", error(api(server, "POST", "/api/v1/needs/csv", key, "text/csv",
          Buffer.buffer("text,topic,text\nblankets,housing,more blankets\n"))), "a column named twice");
      HttpResponse<Buffer> unclosed = api(server, "POST", "/api/v1/needs/csv", key, "text/csv",
          Buffer.buffer("text,topic\nblankets,housing\n\"a quote never closed,food\n"));
      assertEquals(400, unclosed.statusCode(), unclosed.bodyAsString());
      assertEquals("bad_csv", error(unclosed));
      assertEquals("bad_columns", error(api(server, "POST", "/api/v1/needs/csv", key, "text/csv", Buffer.buffer(""))),
          "an empty file");
      assertEquals("bad_encoding", error(api(server, "POST", "/api/v1/needs/csv", key, "text/csv",
          Buffer.buffer("text\nM\u00e9dicaments pour 3 familles\n".getBytes(StandardCharsets.ISO_8859_1)))));
      StringBuilder big = new StringBuilder("text,topic\n");
      for (int i = 0; i < 5001; i++) {
        big.append("Blankets for family ").append(i).append(",housing\n");
      }
      HttpResponse<Buffer> tooMany = api(server, "POST", "/api/v1/needs/csv", key, "text/csv",
          Buffer.buffer(big.toString()));
      assertEquals(413, tooMany.statusCode());
      assertEquals("too_many_rows", error(tooMany));
      assertEquals(before, count(server), "a refused file stores nothing");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aResidentReportsByArabicSmsAndHearsBackInArabic(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    Locales l = server.backend.locales();
    String resident = newNumber();
    String code;
    try (SmsClient sms = new SmsClient(server)) {
      String keyword = l.list("ar", "keywords.report").get(0);
      assertEquals(l.format("ar", "report.ask_text"), sms.send(resident, keyword));
      String where = sms.send(resident, "عائلات كثيرة بدون تدفئة في البناية، اتصلوا بي على 0791234567");
      assertTrue(where.startsWith(l.format("ar", "report.ask_district")), where);
      assertEquals(l.format("ar", "report.ask_people"), sms.send(resident, "١"), "Arabic-Indic digits choose too");
      assertEquals(l.format("ar", "report.ask_urgency"), sms.send(resident, "٣٠ شخص"));
      String done = sms.send(resident, "1");
      Matcher m = CODE.matcher(done);
      assertTrue(m.find(), done);
      code = m.group();
      assertEquals(l.format("ar", "report.done", "code", code), done);
      assertEquals(l.format("ar", "report.status", "code", code, "status", l.format("ar", "report.status.new")),
          sms.send(resident, l.list("ar", "keywords.status").get(0) + " " + code));
      assertEquals(l.format("en", "report.not_found", "code", "1000000"), sms.send(newNumber(), "STATUS 1000000"));
    }
    String editorName = StaffApi.newUser(server, Role.EDITOR);
    String viewerName = StaffApi.newUser(server, Role.VIEWER);
    try (StaffApi editor = new StaffApi(server); StaffApi viewer = new StaffApi(server)) {
      editor.login(editorName, StaffApi.PASSWORD);
      viewer.login(viewerName, StaffApi.PASSWORD);
      JsonObject need = viewer.get("/needs?language=ar&days=1").bodyAsJsonObject().getJsonArray("needs").stream()
          .map(o -> (JsonObject) o).filter(n -> n.getString("code").equals(code)).findFirst().orElseThrow();
      assertEquals("resident", need.getString("source"));
      assertEquals(server.app.config().districts().get(0), need.getString("district"));
      assertEquals(30, need.getInteger("people"));
      assertEquals("today", need.getString("urgency"));
      assertFalse(need.encode().contains("0791234567"), "no personal data on the dashboard: " + need.encode());
      assertTrue(need.getString("text").contains("عائلات كثيرة بدون تدفئة"), need.getString("text"));

      String id = need.getString("id");
      assertEquals(403, viewer.post("/needs/" + id + "/status", new JsonObject().put("status", "resolved"))
          .statusCode(), "a viewer only looks");
      assertEquals("bad_status", StaffApi.errorCode(editor.post("/needs/" + id + "/status",
          new JsonObject().put("status", "done"))));
      JsonObject resolved = editor.post("/needs/" + id + "/status", new JsonObject().put("status", "resolved")
          .put("note", "Heaters delivered").put("notify", true)).bodyAsJsonObject();
      assertEquals(1, resolved.getInteger("notified"), resolved.encode());
      assertEquals(List.of(l.format("ar", "report.update", "code", code, "status",
          l.format("ar", "report.status.resolved"))), StaffApi.outboxTo(server, resident),
          "the Arabic-speaking reporter hears back in Arabic");

      // FORGET: the report stays as a count, with no link and no text
      try (SmsClient sms = new SmsClient(server)) {
        sms.send(resident, "FORGET");
      }
      JsonObject after = viewer.get("/needs?language=ar&days=1").bodyAsJsonObject().getJsonArray("needs").stream()
          .map(o -> (JsonObject) o).filter(n -> n.getString("code").equals(code)).findFirst().orElseThrow();
      assertNull(after.getString("text"));
      assertEquals("resolved", after.getString("status"));
      org.welcomeline.store.Needs store = new org.welcomeline.store.Needs(
          org.welcomeline.store.Crypto.fromConfig("", server.app.config().dataDir()));
      assertNull(server.app.database().tx(c -> store.original(c, id)), "the original text is erased too");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void dashboardGroupsSuppressesSmallCellsExportsAndStreams(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    try (StaffApi admin = signedIn(server, Role.ADMIN)) {
      String key = register(server, admin, "Business help " + engine);
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      HttpClient client = server.vertx.createHttpClient();
      HttpClientResponse stream = client.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(server.port())
              .setHost("127.0.0.1").setURI("/api/v1/console/needs/events").putHeader("Cookie", admin.cookie))
          // the body handler is set on the event loop as the response arrives, so no chunk is missed
          .compose(req -> req.send().map(resp -> resp.handler(b -> events.add(b.toString()))))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals("text/event-stream", stream.getHeader("Content-Type"));
      assertTrue(events.poll(10, TimeUnit.SECONDS).startsWith(": connected"));

      // five English and one Arabic report about business in the west: the Arabic cell is below k = 5
      for (int i = 0; i < 5; i++) {
        postJson(server, key, new JsonObject().put("text", "Microloans for market stall " + i).put("topic", "business")
            .put("language", "en").put("district", "west"));
      }
      String arCode = postJson(server, key, new JsonObject().put("text", "قروض صغيرة لأكشاك السوق")
          .put("topic", "business").put("language", "ar").put("district", "west")).bodyAsJsonObject().getString("code");
      String event = "";
      while (!event.contains(arCode)) {
        String next = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(next, "a live event for every new report");
        event = next;
      }
      assertTrue(event.startsWith("event: need\ndata: {"), event);

      JsonObject stats = admin.get("/needs/stats?topic=business&days=7").bodyAsJsonObject();
      assertEquals(5, stats.getInteger("k"));
      assertEquals(6, stats.getJsonObject("by_topic").getInteger("business"));
      JsonArray cross = stats.getJsonArray("by_district_language");
      JsonObject en = find(cross, "west", "en");
      JsonObject ar = find(cross, "west", "ar");
      assertEquals(5, en.getInteger("count"));
      assertNull(ar.getValue("count"), "a group smaller than k is never shown: " + ar.encode());
      assertTrue(ar.getBoolean("suppressed"));
      JsonArray days = stats.getJsonArray("days");
      assertEquals(7, days.size());
      assertEquals(6, stats.getJsonObject("by_day").getJsonArray("business").getInteger(6), stats.encode());

      JsonArray groups = admin.get("/needs?topic=business&days=7").bodyAsJsonObject().getJsonArray("groups");
      assertEquals(1, groups.size(), groups.encode());
      assertEquals(6, groups.getJsonObject(0).getInteger("count"));
      assertEquals(List.of("en", "ar"), groups.getJsonObject(0).getJsonArray("languages").getList(),
          "similar reports are grouped across languages");
      assertEquals("bad_district", StaffApi.errorCode(admin.get("/needs?district=atlantis")));

      HttpResponse<Buffer> csv = admin.get("/needs/export?format=csv&topic=business&days=7");
      assertEquals(200, csv.statusCode());
      assertTrue(csv.getHeader("Content-Disposition").startsWith("attachment; filename=\"needs-"));
      String[] lines = csv.bodyAsString().split("\r\n");
      assertEquals("code,created_at,source,association,topic,language,district,people,urgency,status,text", lines[0]);
      assertEquals(7, lines.length);
      JsonArray json = admin.get("/needs/export?format=json&topic=business&days=7").bodyAsJsonObject()
          .getJsonArray("needs");
      assertEquals(6, json.size());
      assertEquals("bad_format", StaffApi.errorCode(admin.get("/needs/export?format=xls")));

      // a question the bot could not place shows as an information gap, scrubbed
      String resident = newNumber();
      try (SmsClient sms = new SmsClient(server)) {
        sms.send(resident, "EN");
        sms.send(resident, "zqxv plorbt wenk 0791234567 grrmf");
      }
      String residentHash = org.welcomeline.store.Crypto.fromConfig("", server.app.config().dataDir()).hash(resident);
      String intent = server.app.database().tx(c -> {
        try (var ps = c.prepareStatement("SELECT m.intent FROM messages m JOIN contacts k ON k.id = m.contact_id "
            + "WHERE k.address_hash = ? AND m.direction = 'in' ORDER BY m.created_at DESC LIMIT 1")) {
          ps.setString(1, residentHash);
          try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        }
      });
      assertEquals("menu:not_understood", intent, "the gibberish is not understood (precondition)");
      JsonObject gaps = admin.get("/needs/unanswered?days=1").bodyAsJsonObject();
      JsonObject english = gaps.getJsonArray("languages").stream().map(o -> (JsonObject) o)
          .filter(l -> l.getString("language").equals("en")).findFirst().orElseThrow();
      assertTrue(english.getInteger("count") >= 1, english.encode());
      assertTrue(english.getJsonArray("examples").contains("zqxv plorbt wenk [phone] grrmf"), english.encode());
      assertFalse(gaps.encode().contains("0791234567"), "no phone number on the dashboard");
      client.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void open311ServicesRequestsAndStatusFollowTheSpec(Engine engine) throws Exception {
    TestServer server = TestServer.get(engine);
    try (StaffApi admin = signedIn(server, Role.ADMIN)) {
      String key = register(server, admin, "City CRM " + engine);
      JsonArray services = new JsonArray(api(server, "GET", "/open311/v2/services.json", null, null, null)
          .bodyAsString());
      assertEquals(12, services.size());
      for (Object o : services) {
        JsonObject svc = (JsonObject) o;
        for (String field : List.of("service_code", "service_name", "description", "metadata", "type", "keywords",
            "group")) {
          assertTrue(svc.containsKey(field), field + " in " + svc.encode());
        }
      }
      JsonObject definition = new JsonObject(api(server, "GET", "/open311/v2/services/housing.json", null, null, null)
          .bodyAsString());
      assertEquals("housing", definition.getString("service_code"));
      assertEquals("district", definition.getJsonArray("attributes").getJsonObject(0).getString("code"));

      HttpResponse<Buffer> noKey = api(server, "POST", "/open311/v2/requests.json", null,
          "application/x-www-form-urlencoded", Buffer.buffer("service_code=housing&description=x"));
      assertEquals(401, noKey.statusCode());
      JsonObject err = new JsonArray(noKey.bodyAsString()).getJsonObject(0);
      assertEquals(401, err.getInteger("code"));
      assertNotNull(err.getString("description"));
      HttpResponse<Buffer> bad = api(server, "POST", "/open311/v2/requests.json", key,
          "application/x-www-form-urlencoded", Buffer.buffer("service_code=weather&description=Snow"));
      assertEquals(400, bad.statusCode());
      assertEquals(400, new JsonArray(bad.bodyAsString()).getJsonObject(0).getInteger("code"));

      HttpResponse<Buffer> created = api(server, "POST", "/open311/v2/requests.json", key,
          "application/x-www-form-urlencoded", Buffer.buffer("service_code=housing&description="
              + java.net.URLEncoder.encode("Roof leaking in shelter, 25 people", StandardCharsets.UTF_8)
              + "&attribute%5Bdistrict%5D=center&attribute%5Bpeople%5D=25"));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      String id = new JsonArray(created.bodyAsString()).getJsonObject(0).getString("service_request_id");
      JsonObject one = new JsonArray(api(server, "GET", "/open311/v2/requests/" + id + ".json", key, null, null)
          .bodyAsString()).getJsonObject(0);
      for (String field : List.of("service_request_id", "status", "status_notes", "service_name", "service_code",
          "description", "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
          "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")) {
        assertTrue(one.containsKey(field), field + " in " + one.encode());
      }
      assertEquals("open", one.getString("status"));
      assertEquals("housing", one.getString("service_code"));
      assertTrue(one.getString("requested_datetime").endsWith("Z"));
      assertEquals(404, api(server, "GET", "/open311/v2/requests/0000000.json", key, null, null).statusCode());
      assertEquals(400, api(server, "GET", "/open311/v2/requests.json?status=pending", key, null, null).statusCode());
      assertEquals(400, api(server, "GET", "/open311/v2/requests.json?service_request_id="
          + "1234567,".repeat(101), key, null, null).statusCode(), "at most 100 ids at once");
      assertEquals(400, api(server, "GET", "/open311/v2/requests.json?start_date=yesterday", key, null, null)
          .statusCode());

      HttpResponse<Buffer> closed = api(server, "POST", "/open311/v2/requests/" + id + ".json", key,
          "application/x-www-form-urlencoded", Buffer.buffer("status=closed&status_notes=Roof+repaired"));
      assertEquals(200, closed.statusCode(), closed.bodyAsString());
      JsonArray open = new JsonArray(api(server, "GET", "/open311/v2/requests.json?service_code=housing&status=closed",
          key, null, null).bodyAsString());
      assertTrue(open.stream().anyMatch(o -> ((JsonObject) o).getString("service_request_id").equals(id)
          && "Roof repaired".equals(((JsonObject) o).getString("status_notes"))), open.encode());
    }
  }

  private static JsonObject find(JsonArray cells, String district, String language) {
    return cells.stream().map(o -> (JsonObject) o).filter(c -> c.getString("district").equals(district)
        && c.getString("language").equals(language)).findFirst().orElseThrow();
  }

  static int count(TestServer server) throws Exception {
    return server.app.database().tx(c -> {
      try (var ps = c.prepareStatement("SELECT COUNT(*) FROM needs"); var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }
}

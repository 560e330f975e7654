package org.welcomeline.channel.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.content.ContentCatalog;
import org.welcomeline.content.Locales;
import org.welcomeline.content.SmsText;
import org.welcomeline.nlu.Intents;

/**
 * Twilio's inbound webhook against the real server: data-driven fixtures from
 * {@code src/test/resources/twilio/webhooks.json} (label, request, expected status, expected answer),
 * signatures computed with the Twilio SDK, replies parsed from TwiML.
 */
class TwilioWebhookIT {
  static final String PATH = "/channels/twilio/sms";
  static TestServer server;
  static SmsClient client;
  static Locales locales;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get(Engine.SQLITE);
    client = new SmsClient(server);
    locales = server.backend.locales();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  static HttpResponse<Buffer> post(String path, String body, String contentType, String signature) throws Exception {
    return client.post(path, body, contentType, signature, Map.of());
  }

  static String form(Map<String, String> params) {
    return SmsClient.form(params);
  }

  static HttpResponse<Buffer> sms(Map<String, String> params) throws Exception {
    return client.sms(params);
  }

  static Map<String, String> msg(String from, String body) {
    return SmsClient.msg(from, body);
  }

  static String replyText(HttpResponse<Buffer> r) {
    return SmsClient.replyText(r);
  }

  static Stream<Arguments> fixtures() throws Exception {
    JsonNode all = new ObjectMapper().readTree(Files.readString(Path.of("src/test/resources/twilio/webhooks.json")));
    List<Arguments> out = new ArrayList<>();
    all.forEach(n -> out.add(Arguments.of(n.path("label").asText(), n)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void webhookFixture(String label, JsonNode fx) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    fx.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    String url = TestServer.PUBLIC_URL + PATH;
    String signature = switch (fx.path("signature").asText()) {
      case "valid" -> TwilioSignatures.sign(TestServer.TWILIO_TOKEN, url, params);
      case "wrong" -> TwilioSignatures.sign("another-token-entirely-000000000", url, params);
      case "tampered" -> {
        Map<String, String> other = new LinkedHashMap<>(params);
        other.put("Body", "something else");
        yield TwilioSignatures.sign(TestServer.TWILIO_TOKEN, url, other);
      }
      default -> null;
    };
    HttpResponse<Buffer> r = post(PATH, form(params), fx.path("contentType").asText("application/x-www-form-urlencoded"),
        signature);
    assertEquals(fx.path("status").asInt(), r.statusCode(), label + ": " + r.bodyAsString());
    if (fx.has("error")) {
      assertEquals(fx.path("error").asText(), new JsonObject(r.bodyAsString()).getJsonObject("error").getString("code"));
    }
    JsonNode answer = fx.path("answer");
    if (answer.has("topic")) {
      String text = replyText(r);
      assertNotNull(text, label);
      String contact = ContentCatalog.read(Path.of("content", answer.path("language").asText(), "services.yaml"))
          .get(answer.path("topic").asText()).contact();
      assertTrue(text.contains(contact), label + " -> " + text);
      assertTrue(SmsText.count(text).segments() <= server.app.config().smsSegmentBudget(), text);
    }
    if (answer.has("key")) {
      assertEquals(locales.format("en", answer.path("key").asText()), replyText(r), label);
    }
    if (r.statusCode() == 403 && params.containsKey("MessageSid")) {
      assertEquals(0, count("SELECT COUNT(*) FROM messages WHERE provider_id = ?", "twilio:" + params.get("MessageSid")),
          "a refused request is not processed");
    }
  }

  static long count(String sql, String arg) throws Exception {
    return server.app.database().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Test
  void aReplayedMessageSidIsAnsweredTheSameAndProcessedOnce() throws Exception {
    Map<String, String> p = msg("+15550100", "necesito clases de ingles");
    String first = replyText(sms(p));
    String second = replyText(sms(p));
    assertNotNull(first);
    assertEquals(first, second);
    assertEquals(1, count("SELECT COUNT(*) FROM messages WHERE provider_id = ?", "twilio:" + p.get("MessageSid")));
    assertEquals(1, count("SELECT COUNT(*) FROM messages m JOIN messages i ON m.reply_to = i.id "
        + "WHERE i.provider_id = ?", "twilio:" + p.get("MessageSid")), "one reply stored");
  }

  static Stream<String> coreLanguages() {
    return Stream.of("en", "es", "fr", "ar", "uk", "ru", "zh", "pt", "fa", "so", "tr", "vi");
  }

  @ParameterizedTest
  @MethodSource("coreLanguages")
  void stopAndStartWorkInEveryCoreLanguage(String lang) throws Exception {
    List<String> stops = locales.list(lang, "keywords.stop");
    List<String> starts = locales.list(lang, "keywords.start");
    assertFalse(stops.isEmpty(), lang + " has STOP keywords");
    assertFalse(starts.isEmpty(), lang + " has START keywords");
    String from = "+1555" + (7000000 + Math.abs(lang.hashCode() % 999999));
    // a resident who has been writing in their language, from the held-out golden messages
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/golden/" + lang + ".tsv"));
    String question = lines.get(1).split("\t", 2)[1];
    String another = lines.get(2).split("\t", 2)[1];
    assertNotNull(replyText(sms(msg(from, question))));
    String stopWord = stops.get(0).toLowerCase();
    assertEquals(locales.format(lang, "stop.confirm"), replyText(sms(msg(from, stopWord))), lang);
    assertNull(replyText(sms(msg(from, another))), "an opted-out contact gets no reply");
    assertEquals(1, countConsent(from, "opt_out"));
    assertEquals(locales.format(lang, "start.confirm"), replyText(sms(msg(from, starts.get(0)))), lang);
    assertEquals(1, countConsent(from, "opt_in"));
    assertNotNull(replyText(sms(msg(from, question + "?"))), "answers resume after START");
  }

  @Test
  void englishCarrierKeywordsWorkWhateverTheLanguage() throws Exception {
    String from = "+15550200";
    assertNotNull(replyText(sms(msg(from, "necesito un medico"))));
    assertEquals(locales.format("es", "stop.confirm"), replyText(sms(msg(from, "STOP"))), "answered in Spanish");
    assertNull(replyText(sms(msg(from, "hola"))));
    assertEquals(locales.format("es", "start.confirm"), replyText(sms(msg(from, "UNSTOP"))));
  }

  static long countConsent(String from, String action) throws Exception {
    return server.app.database().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM consent_log l JOIN contacts k "
          + "ON l.contact_id = k.id WHERE k.address_hash = ? AND l.action = ? AND l.channel = 'sms'")) {
        ps.setString(1, hashOf(from));
        ps.setString(2, action);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  static String hashOf(String address) {
    try {
      return org.welcomeline.store.Crypto.fromConfig("", server.app.config().dataDir()).hash(address);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void myAlertsListsTheResidentsTopics() throws Exception {
    String from = "+15550301";
    assertEquals(locales.format("en", "subscriptions.none"), replyText(sms(msg(from, "MY ALERTS"))));
    replyText(sms(msg(from, "ALERTS HOUSING")));
    replyText(sms(msg(from, "ALERTS FOOD")));
    replyText(sms(msg(from, "STOP FOOD")));
    assertEquals(locales.format("en", "subscriptions.list", "topics", locales.format("en", "topic.housing")),
        replyText(sms(msg(from, "my alerts"))));
  }

  @Test
  void aSubscriptionCanBeNarrowedToOneDistrictByNumber() throws Exception {
    String from = "+15550302";
    List<String> districts = server.app.config().districts();
    String housing = locales.format("en", "topic.housing");
    String asked = replyText(sms(msg(from, "ALERTS HOUSING")));
    assertTrue(asked.startsWith(locales.format("en", "subscribe.confirm", "topic", housing)), asked);
    assertTrue(asked.contains(locales.format("en", "subscribe.ask_district")), asked);
    assertTrue(asked.contains("\n2 " + locales.district("en", districts.get(1))), asked);
    String confirmed = replyText(sms(msg(from, "2")));
    assertEquals(locales.format("en", "subscribe.confirm.district", "topic", housing, "district",
        locales.district("en", districts.get(1))), confirmed);
    assertEquals(List.of(districts.get(1)), server.app.database().tx(c -> {
      List<String> d = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT s.district FROM subscriptions s JOIN contacts k "
          + "ON s.contact_id = k.id WHERE k.address_hash = ?")) {
        ps.setString(1, hashOf(from));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            d.add(rs.getString(1));
          }
        }
      }
      return d;
    }));
    assertTrue(replyText(sms(msg(from, "MY ALERTS"))).contains(housing + " (" + locales.district("en",
        districts.get(1)) + ")"));
    String again = replyText(sms(msg(from, "ALERTS HOUSING")));
    assertTrue(again.contains(locales.format("en", "subscribe.ask_district")), again);
    assertEquals(locales.format("en", "subscribe.confirm", "topic", housing), replyText(sms(msg(from, "0"))));
  }

  @Test
  void perTopicStopDropsOnlyThatTopic() throws Exception {
    String from = "+15550300";
    assertNotNull(replyText(sms(msg(from, "ALERTS HOUSING"))));
    assertNotNull(replyText(sms(msg(from, "ALERTS JOBS"))));
    String reply = replyText(sms(msg(from, "STOP JOBS")));
    assertEquals(locales.format("en", "unsubscribe.confirm", "topic", locales.format("en", "topic.employment")), reply);
    List<String> topics = server.app.database().tx(c -> {
      List<String> t = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT s.topic FROM subscriptions s JOIN contacts k "
          + "ON s.contact_id = k.id WHERE k.address_hash = ?")) {
        ps.setString(1, hashOf(from));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            t.add(rs.getString(1));
          }
        }
      }
      return t;
    });
    assertEquals(List.of("housing"), topics);
    assertNotNull(replyText(sms(msg(from, "where can i find free food"))), "still opted in overall");
  }

  @Test
  void longAnswersFitTheSegmentBudgetAndContinueWithMore() throws Exception {
    String from = "+15550400";
    int budget = server.app.config().smsSegmentBudget();
    String first = replyText(sms(msg(from, "MENU")));
    assertTrue(SmsText.count(first).segments() <= budget, first);
    StringBuilder all = new StringBuilder(first);
    String more = locales.format("en", "more.prompt");
    String page = first;
    int pages = 1;
    while (page.endsWith(more) && pages < 10) {
      page = replyText(sms(msg(from, "MORE")));
      assertTrue(SmsText.count(page).segments() <= budget, page);
      all.append(page);
      pages++;
    }
    for (String topic : Intents.TOPICS) {
      assertTrue(all.toString().contains(locales.format("en", "topic." + topic)), "menu lists " + topic);
    }
    assertEquals(locales.format("en", "more.none"), replyText(sms(msg(from, "MORE"))));
  }

  @Test
  void storedMessagesRecordSegmentsAndEncoding() throws Exception {
    Map<String, String> p = msg("+15550500", "مساعدة سكن");
    replyText(sms(p));
    String enc = server.app.database().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT o.encoding, o.segments FROM messages o JOIN messages i "
          + "ON o.reply_to = i.id WHERE i.provider_id = ?")) {
        ps.setString(1, "twilio:" + p.get("MessageSid"));
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertTrue(rs.getInt(2) >= 1);
          return rs.getString(1);
        }
      }
    });
    assertEquals("UCS2", enc);
  }

  @Test
  void aFloodFromOneNumberGetsOnePoliteNoticeAndNothingIsLost() throws Exception {
    String from = "+15550600";
    int limit = server.app.config().smsRatePerMinute();
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < limit + 5; i++) {
      replies.add(replyText(sms(msg(from, "busco trabajo " + i))));
    }
    for (int i = 0; i < limit; i++) {
      assertNotNull(replies.get(i));
    }
    assertEquals(locales.format("es", "rate_limited"), replies.get(limit));
    for (int i = limit + 1; i < replies.size(); i++) {
      assertNull(replies.get(i), "no reply flood");
    }
    assertEquals((long) (limit + 5), (long) server.app.database().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE address_hash = ? "
          + "AND direction = 'in' AND status = 'processed'")) {
        ps.setString(1, hashOf(from));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }));
  }

  @Test
  void oversizedAndMalformedRequestsAreRefusedClearly() throws Exception {
    String huge = "From=%2B15550700&MessageSid=SMhuge&Body=" + "a".repeat(1024 * 1024);
    assertEquals(413, post(PATH, huge, "application/x-www-form-urlencoded", "x").statusCode());
    HttpResponse<Buffer> badEncoding = post(PATH, "From=%2B1555&Body=%E0%A4%A&MessageSid=SMbad",
        "application/x-www-form-urlencoded", "x");
    assertTrue(badEncoding.statusCode() == 400 || badEncoding.statusCode() == 403, badEncoding.statusCode() + "");
    Map<String, String> p = msg("+15550701", "hola");
    String sig = TwilioSignatures.sign(TestServer.TWILIO_TOKEN, TestServer.PUBLIC_URL + PATH, p);
    HttpResponse<Buffer> dup = post(PATH, form(p) + "&From=%2B15550999", "application/x-www-form-urlencoded", sig);
    assertEquals(403, dup.statusCode(), "a repeated parameter is not Twilio's request");
  }

  @Test
  void deliveryStatusUpdatesTheStoredMessage() throws Exception {
    String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
    var store = new org.welcomeline.store.MessageStore(
        org.welcomeline.store.Crypto.fromConfig("", server.app.config().dataDir()));
    server.app.database().tx(c -> {
      String id = store.storeOutbound(c, "sms", "h", null, null, "Office closed today", "en", "broadcast", 1,
          "GSM7", "queued", 1L);
      store.sent(c, id, "twilio:" + sid, "queued");
      return null;
    });
    Map<String, String> p = new LinkedHashMap<>();
    p.put("MessageSid", sid);
    p.put("MessageStatus", "undelivered");
    p.put("ErrorCode", "30003");
    String url = TestServer.PUBLIC_URL + "/channels/twilio/status";
    assertEquals(403, post("/channels/twilio/status", form(p), "application/x-www-form-urlencoded", "bad").statusCode());
    HttpResponse<Buffer> r = post("/channels/twilio/status", form(p), "application/x-www-form-urlencoded",
        TwilioSignatures.sign(TestServer.TWILIO_TOKEN, url, p));
    assertEquals(200, r.statusCode());
    assertEquals(1, count("SELECT COUNT(*) FROM messages WHERE provider_id = ? AND status = 'undelivered' "
        + "AND error_code = '30003'", "twilio:" + sid));
    p.put("MessageStatus", "exploded");
    assertEquals(400, post("/channels/twilio/status", form(p), "application/x-www-form-urlencoded",
        TwilioSignatures.sign(TestServer.TWILIO_TOKEN, url, p)).statusCode());
  }
}

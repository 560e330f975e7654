package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.channel.webchat.ChatClient;
import org.welcomeline.config.Config;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;
import org.welcomeline.store.StaffStore;

/**
 * Two instances of the real jar, clustered (Hazelcast, TCP members on 127.0.0.1), on one PostgreSQL:
 * web chat on one and a staff reply from the other; SMS to both; a broadcast sent by both together,
 * one instance killed with SIGKILL mid-way; every recipient gets exactly one message.
 */
class ClusterIT {
  static final int RECIPIENTS = 2_000;
  static final String KEY = "cluster-test-secret-key-0123456789";

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void twoInstancesShareWebChatSmsAndABroadcastExactlyOnce() throws Exception {
    String url = TestServer.freshPostgresSchema();
    Path dataA = Files.createTempDirectory("welcomeline-a");
    Path dataB = Files.createTempDirectory("welcomeline-b");
    int httpA = freePort();
    int httpB = freePort();
    int hzA = freePort();
    int hzB = freePort();
    Config config = Config.fromJson(new JsonObject().put("data_dir", dataA.toString()).put("database_url", url)
        .put("languages", new JsonArray().add("en")).put("secret_key", KEY));
    try (Database db = Database.open(config)) {
      Crypto crypto = Crypto.fromConfig(KEY, dataA);
      ContactStore contacts = new ContactStore(crypto);
      db.tx(c -> {
        for (int i = 0; i < RECIPIENTS; i++) {
          String number = String.format("+1557%07d", i);
          var k = contacts.findOrCreate(c, crypto.hash(number), number, "sms", 1L);
          contacts.subscribe(c, k.id(), "housing", "sms", 1L);
        }
        return null;
      });
      new StaffStore(db).create("cluster-editor", StaffApi.PASSWORD, StaffStore.Role.EDITOR, 1L);
    }
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    Map<String, String> common = new HashMap<>(Map.of("WELCOMELINE_DATABASE_URL", url, "WELCOMELINE_HOST", "127.0.0.1",
        "WELCOMELINE_LANGUAGES", "en", "WELCOMELINE_SECRET_KEY", KEY, "WELCOMELINE_CLUSTER", "true",
        "WELCOMELINE_CLUSTER_MEMBERS", members, "WELCOMELINE_BROADCAST_RATE_PER_SECOND", "200",
        "WELCOMELINE_BROADCAST_APPROVAL_OVER", "1000000", "WELCOMELINE_DELIVERY_LEASE_MS", "4000"));
    common.put("WELCOMELINE_API_RATE_PER_MINUTE", "10000000"); // the test polls progress in a loop
    Map<String, String> envA = new HashMap<>(common);
    envA.putAll(Map.of("WELCOMELINE_DATA_DIR", dataA.toString(), "WELCOMELINE_HTTP_PORT", String.valueOf(httpA),
        "WELCOMELINE_CLUSTER_PORT", String.valueOf(hzA)));
    Map<String, String> envB = new HashMap<>(common);
    envB.putAll(Map.of("WELCOMELINE_DATA_DIR", dataB.toString(), "WELCOMELINE_HTTP_PORT", String.valueOf(httpB),
        "WELCOMELINE_CLUSTER_PORT", String.valueOf(hzB)));
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5)).build();
    String consoleB = "http://127.0.0.1:" + httpB + "/api/v1/console";
    Vertx vertx = Vertx.vertx();
    Process a = BroadcastCrashIT.start(dataA, envA);
    Process b = BroadcastCrashIT.start(dataB, envB);
    try {
      BroadcastCrashIT.awaitReady(http, httpA);
      BroadcastCrashIT.awaitReady(http, httpB);

      // SMS to either instance is answered and stored once
      for (int port : new int[] {httpA, httpB}) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/channels/twilio/sms")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("From=" + URLEncoder.encode("+15551112222", StandardCharsets.UTF_8)
                + "&To=%2B15550000&Body=where+is+the+food+bank&MessageSid=SMcluster" + port)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Message>"), r.body());
      }

      // a resident chats on A; staff on B answer; the reply crosses the cluster to A's socket
      try (ChatClient chat = new ChatClient(vertx, httpA, "cluster-" + java.util.UUID.randomUUID())) {
        JsonObject handoff = chat.ask("1", "I want to talk to a person please");
        assertEquals("human", handoff.getString("intent"), handoff.encode());
        JsonObject me = new JsonObject(BroadcastCrashIT.post(http, consoleB + "/login", null,
            new JsonObject().put("username", "cluster-editor").put("password", StaffApi.PASSWORD)).body());
        String csrf = me.getString("csrf");
        JsonArray inbox = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(consoleB + "/inbox")).build(),
            HttpResponse.BodyHandlers.ofString()).body()).getJsonArray("conversations");
        String id = inbox.stream().map(o -> (JsonObject) o).filter(c -> c.getString("channel").equals("webchat"))
            .findFirst().orElseThrow().getString("id");
        JsonObject sent = new JsonObject(BroadcastCrashIT.post(http, consoleB + "/conversations/" + id + "/reply",
            csrf, new JsonObject().put("text", "Hello, this is Sam from the city.")).body());
        assertEquals("sent", sent.getString("status"), "delivered live through the other instance: " + sent.encode());
        JsonObject frame = chat.next();
        assertEquals("Hello, this is Sam from the city.", frame.getString("text"), frame.encode());

        // a broadcast started on B is sent by both; A is killed in the middle
        JsonObject created = new JsonObject(BroadcastCrashIT.post(http, consoleB + "/broadcasts", csrf, new JsonObject()
            .put("texts", new JsonObject().put("en", "Cooling centre open at the library."))
            .put("audience", new JsonObject().put("topics", new JsonArray().add("housing")))).body());
        assertEquals(RECIPIENTS, created.getInteger("recipients"), created.encode());
        String bid = created.getString("id");
        assertEquals(200, BroadcastCrashIT.post(http, consoleB + "/broadcasts/" + bid + "/send", csrf, null)
            .statusCode());
        long deadline = System.currentTimeMillis() + 120_000;
        while (BroadcastCrashIT.sent(http, consoleB, bid) < RECIPIENTS / 4 && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
        assertTrue(BroadcastCrashIT.sent(http, consoleB, bid) < RECIPIENTS, "killed in the middle");
        a.destroyForcibly();
        a.waitFor();
        deadline = System.currentTimeMillis() + 180_000;
        while (BroadcastCrashIT.sent(http, consoleB, bid) < RECIPIENTS && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
      }
    } finally {
      a.destroyForcibly();
      b.destroy();
      a.waitFor();
      b.waitFor();
      vertx.close();
    }
    try (Database db = Database.open(config)) {
      assertEquals(RECIPIENTS, BroadcastCrashIT.count(db, "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"));
      assertEquals(RECIPIENTS, BroadcastCrashIT.count(db, "SELECT COUNT(DISTINCT to_hash) FROM outbox"), "nobody lost");
      assertEquals(RECIPIENTS, BroadcastCrashIT.count(db, "SELECT COUNT(*) FROM outbox"), "nobody got it twice");
      assertEquals(2, BroadcastCrashIT.count(db, "SELECT COUNT(*) FROM messages WHERE direction = 'in' "
          + "AND provider_id LIKE '%SMcluster%'"), "each SMS stored once");
    }
  }
}

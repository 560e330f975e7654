package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.welcomeline.config.Config;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;
import org.welcomeline.store.StaffStore;

/**
 * The real jar as a separate process: a 10,000-recipient broadcast, the server killed with SIGKILL in the
 * middle, restarted on the same data; afterwards every recipient has exactly one message.
 */
class BroadcastCrashIT {
  static final int RECIPIENTS = 10_000;

  @Test
  void killMidBroadcastThenRestartSendsEveryoneExactlyOnce() throws Exception {
    Path data = Files.createTempDirectory("welcomeline-crash");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Config config = Config.fromJson(new JsonObject().put("data_dir", data.toString())
        .put("languages", new JsonArray().add("en")));
    try (Database db = Database.open(config)) {
      Crypto crypto = Crypto.fromConfig("", data);
      ContactStore contacts = new ContactStore(crypto);
      for (int from = 0; from < RECIPIENTS; from += 1000) {
        int start = from;
        db.tx(c -> {
          for (int i = start; i < start + 1000; i++) {
            String number = String.format("+1555%07d", i);
            var k = contacts.findOrCreate(c, crypto.hash(number), number, "sms", 1L);
            contacts.subscribe(c, k.id(), "housing", "sms", 1L);
          }
          return null;
        });
      }
      new StaffStore(db).create("crash-editor", StaffApi.PASSWORD, StaffStore.Role.EDITOR, 1L);
    }
    Map<String, String> env = Map.of("WELCOMELINE_DATA_DIR", data.toString(), "WELCOMELINE_HTTP_PORT",
        String.valueOf(port), "WELCOMELINE_HOST", "127.0.0.1", "WELCOMELINE_LANGUAGES", "en",
        "WELCOMELINE_BROADCAST_RATE_PER_SECOND", "1000", "WELCOMELINE_BROADCAST_APPROVAL_OVER", "1000000",
        "WELCOMELINE_API_RATE_PER_MINUTE", "10000000"); // the test polls progress in a loop
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + port + "/api/v1/console";

    Process first = start(data, env);
    try {
      awaitReady(http, port);
      JsonObject me = new JsonObject(post(http, base + "/login", null,
          new JsonObject().put("username", "crash-editor").put("password", StaffApi.PASSWORD)).body());
      String csrf = me.getString("csrf");
      JsonObject b = new JsonObject(post(http, base + "/broadcasts", csrf, new JsonObject()
          .put("texts", new JsonObject().put("en", "Shelter open tonight at the sports hall."))
          .put("audience", new JsonObject().put("topics", new JsonArray().add("housing")))).body());
      assertEquals(RECIPIENTS, b.getInteger("recipients"));
      String id = b.getString("id");
      assertEquals(200, post(http, base + "/broadcasts/" + id + "/send", csrf, null).statusCode());
      long deadline = System.currentTimeMillis() + 120_000;
      while (sent(http, base, id) < RECIPIENTS / 5 && System.currentTimeMillis() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(sent(http, base, id) < RECIPIENTS, "killed in the middle, not after the end");
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hooks, no draining
      first.waitFor();
    }

    Process second = start(data, env);
    try {
      awaitReady(http, port);
      JsonObject me = new JsonObject(post(http, base + "/login", null,
          new JsonObject().put("username", "crash-editor").put("password", StaffApi.PASSWORD)).body());
      assertTrue(me.containsKey("csrf"));
      try (Database db = Database.open(config)) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (count(db, "SELECT COUNT(*) FROM broadcasts WHERE status = 'sent'") == 0
            && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
      }
    } finally {
      second.destroy();
      second.waitFor();
    }
    try (Database db = Database.open(config)) {
      assertEquals(1, count(db, "SELECT COUNT(*) FROM broadcasts WHERE status = 'sent'"), "the broadcast finished");
      assertEquals(RECIPIENTS, count(db, "SELECT COUNT(DISTINCT to_hash) FROM outbox"), "nobody lost");
      assertEquals(RECIPIENTS, count(db, "SELECT COUNT(*) FROM outbox"), "nobody got it twice");
      assertEquals(RECIPIENTS, count(db, "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"));
    }
  }

  static Process start(Path data, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", Path.of("target/welcomeline.jar").toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(data.resolve("server-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static void awaitReady(HttpClient http, int port) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("server not ready within 120 s");
  }

  static HttpResponse<String> post(HttpClient http, String url, String csrf, JsonObject body) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.encode()));
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static int sent(HttpClient http, String base, String id) throws Exception {
    var r = http.send(HttpRequest.newBuilder(URI.create(base + "/broadcasts/" + id)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject progress = new JsonObject(r.body()).getJsonObject("progress");
    if (progress == null) {
      throw new AssertionError("no progress in " + r.statusCode() + " " + r.body());
    }
    JsonObject en = progress.getJsonObject("en");
    return en == null ? 0 : en.getInteger("sent", 0);
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

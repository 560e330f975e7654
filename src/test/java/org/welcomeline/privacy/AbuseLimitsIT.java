package org.welcomeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.webchat.ChatClient;

/** Per-address limits on the public API and the web chat, on an instance with small limits. */
class AbuseLimitsIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    JsonObject config = TestServer.testConfig(Engine.SQLITE).put("languages", new JsonArray().add("en"))
        .put("api_rate_per_minute", 5).put("webchat_connections_per_ip", 2).put("webchat_rate_per_minute", 3);
    server = TestServer.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void apiAnswers429WithRetryAfterOverTheLimit() throws Exception {
    WebClient http = WebClient.create(server.vertx);
    try {
      int[] statuses = new int[7];
      String retryAfter = null;
      for (int i = 0; i < statuses.length; i++) {
        var r = http.get(server.port(), "127.0.0.1", "/api/v1/privacy?language=en").send()
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        statuses[i] = r.statusCode();
        if (r.statusCode() == 429) {
          retryAfter = r.getHeader("Retry-After");
          assertEquals("rate_limited", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
        }
      }
      assertEquals("[200, 200, 200, 200, 200, 429, 429]", java.util.Arrays.toString(statuses));
      assertEquals("60", retryAfter);
      // health checks are not rate limited (a proxy polls them)
      assertEquals(200, http.get(server.port(), "127.0.0.1", "/healthz").send()
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).statusCode());
    } finally {
      http.close();
    }
  }

  @Test
  void webChatLimitsConnectionsAndFramesPerAddress() throws Exception {
    try (ChatClient a = new ChatClient(server.vertx, server.port(), "session-aaaaaaaaaaaaaaaa");
         ChatClient b = new ChatClient(server.vertx, server.port(), "session-bbbbbbbbbbbbbbbb");
         ChatClient c = new ChatClient(server.vertx, server.port(), "session-cccccccccccccccc")) {
      JsonObject refused = c.next();
      assertEquals("too_many_connections", refused.getString("code"), refused.encode());
      a.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", a.next().getString("type"));
      b.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", b.next().getString("type"));
      a.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", a.next().getString("type"));
      // the fourth frame from this address within the minute, on either socket, is refused politely
      b.send(new JsonObject().put("type", "ping"));
      JsonObject limited = b.next();
      assertEquals("rate_limited", limited.getString("code"), limited.encode());
    }
  }
}

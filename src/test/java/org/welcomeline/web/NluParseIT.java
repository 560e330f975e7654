package org.welcomeline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;

/** The public HTTP API against the real server. */
class NluParseIT {
  static TestServer server;
  static WebClient http;

  @BeforeAll
  static void start() {
    server = TestServer.get(Engine.SQLITE);
    http = WebClient.create(server.vertx);
  }

  @AfterAll
  static void close() {
    http.close();
  }

  static HttpResponse<Buffer> post(String path, String body, String contentType) throws Exception {
    return http.post(server.port(), "127.0.0.1", path).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> get(String path) throws Exception {
    return http.get(server.port(), "127.0.0.1", path).send().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void parseIsShapedLikeRasa() throws Exception {
    HttpResponse<Buffer> r = post("/api/v1/nlu/parse", new JsonObject().put("text", "necesito abogado").encode(),
        "application/json");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("necesito abogado", body.getString("text"));
    assertEquals("es", body.getJsonObject("language").getString("code"));
    assertEquals("legal", body.getJsonObject("intent").getString("name"));
    JsonArray ranking = body.getJsonArray("intent_ranking");
    assertTrue(ranking.size() >= 2);
    double sum = 0;
    for (int i = 0; i < ranking.size(); i++) {
      JsonObject e = ranking.getJsonObject(i);
      assertNotNull(e.getString("name"));
      sum += e.getDouble("confidence");
      if (i > 0) {
        assertTrue(e.getDouble("confidence") <= ranking.getJsonObject(i - 1).getDouble("confidence"));
      }
    }
    assertTrue(sum <= 1.0001);
    assertEquals(body.getJsonObject("intent").getString("name"), ranking.getJsonObject(0).getString("name"));
  }

  @Test
  void explicitLanguageIsUsed() throws Exception {
    HttpResponse<Buffer> r = post("/api/v1/nlu/parse",
        new JsonObject().put("text", "مساعدة سكن").put("language", "ar").encode(), "application/json");
    assertEquals(200, r.statusCode());
    assertEquals("ar", r.bodyAsJsonObject().getJsonObject("language").getString("code"));
    assertEquals(1.0, r.bodyAsJsonObject().getJsonObject("language").getDouble("confidence"));
    assertEquals("housing", r.bodyAsJsonObject().getJsonObject("intent").getString("name"));
  }

  @Test
  void malformedInputGets400WithAJsonError() throws Exception {
    String[][] cases = {
        {"{not json", "bad_json"},
        {"[1,2,3]", "bad_json"},
        {"{}", "bad_text"},
        {"{\"text\": 5}", "bad_text"},
        {"{\"text\": \"   \"}", "empty_text"},
        {"{\"text\": \"hola\", \"language\": \"xx\"}", "bad_language"},
        {"{\"text\": \"" + "a".repeat(server.app.config().maxTextChars() + 1) + "\"}", "too_long"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> r = post("/api/v1/nlu/parse", c[0], "application/json");
      assertEquals(400, r.statusCode(), c[0]);
      assertEquals(c[1], r.bodyAsJsonObject().getJsonObject("error").getString("code"), c[0]);
    }
    HttpResponse<Buffer> big = post("/api/v1/nlu/parse", "{\"text\":\"" + "a".repeat(200_000) + "\"}", "application/json");
    assertEquals(413, big.statusCode());
  }

  @Test
  void operationsEndpoints() throws Exception {
    assertEquals(200, get("/healthz").statusCode());
    HttpResponse<Buffer> ready = get("/readyz");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertEquals("ready", ready.bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("vertx_http_server"), "Vert.x HTTP metrics are exported");
    assertEquals(404, get("/no/such/thing").statusCode());
  }

  @Test
  void residentPageIsServedWithSecurityHeaders() throws Exception {
    HttpResponse<Buffer> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("<select id=\"language\""));
    String csp = page.getHeader("Content-Security-Policy");
    assertNotNull(csp);
    assertTrue(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), csp);
  }
}

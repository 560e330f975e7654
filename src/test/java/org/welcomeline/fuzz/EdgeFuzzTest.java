package org.welcomeline.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.webchat.ChatClient;

/**
 * Fuzzes the network edge of a real server (English only, webhooks unsigned so bodies reach the
 * parser): Twilio's form webhook and web-chat frames. Every request gets a 4xx or a TwiML 200, never
 * a 5xx; every frame gets an answer frame (reply, ack or error) and the socket stays usable.
 */
class EdgeFuzzTest {
  private static TestServer server;
  private static WebClient http;
  private static ChatClient chat;

  private static synchronized void start() throws Exception {
    if (server == null) {
      server = TestServer.start(TestServer.testConfig(Engine.SQLITE).put("languages", new JsonArray().add("en"))
          .put("twilio_auth_token", "").put("sms_rate_per_minute", 100_000));
      http = WebClient.create(server.vertx);
    }
    if (chat == null) {
      chat = new ChatClient(server.vertx, server.port(), "fuzz-session-0123456789");
    }
  }

  @FuzzTest(maxDuration = "10s")
  void webhookBodiesNeverCauseA5xx(FuzzedDataProvider data) throws Exception {
    start();
    String contentType = data.pickValue(new String[] {"application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8", "text/plain", "multipart/form-data"});
    byte[] body = data.consumeRemainingAsBytes();
    var r = http.post(server.port(), "127.0.0.1", "/channels/twilio/sms").putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(r.statusCode() < 500, r.statusCode() + " " + r.bodyAsString());
  }

  @FuzzTest(maxDuration = "10s")
  void everyWebChatFrameGetsAnAnswer(FuzzedDataProvider data) throws Exception {
    start();
    String frame = data.consumeRemainingAsString();
    chat.sendRaw(frame);
    assertNotNull(chat.next(), "an answer frame");
  }
}

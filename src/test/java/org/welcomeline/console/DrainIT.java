package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.welcomeline.channel.webchat.ChatClient;

/** SIGTERM to the real jar: open chats get a reconnect hint, the server drains and exits by itself. */
class DrainIT {
  @Test
  void sigtermTellsChatsToReconnectAndStopsCleanly() throws Exception {
    Path data = Files.createTempDirectory("welcomeline-drain");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = Map.of("WELCOMELINE_DATA_DIR", data.toString(), "WELCOMELINE_HTTP_PORT",
        String.valueOf(port), "WELCOMELINE_HOST", "127.0.0.1", "WELCOMELINE_LANGUAGES", "en");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Vertx vertx = Vertx.vertx();
    Process server = BroadcastCrashIT.start(data, env);
    BroadcastCrashIT.awaitReady(http, port);
    try (ChatClient chat = new ChatClient(vertx, port, null)) {
      assertEquals("session", chat.next().getString("type"));
      assertTrue(chat.ask("1", "where is the food bank").getString("text").length() > 0);
      server.destroy(); // SIGTERM
      JsonObject hint = chat.next();
      assertEquals("reconnect", hint.getString("type"), hint.encode());
      assertTrue(hint.getInteger("after_ms") > 0);
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exits by itself after draining");
    } finally {
      server.destroyForcibly();
      vertx.close();
    }
    String log = Files.readString(Files.list(data).filter(p -> p.getFileName().toString().startsWith("server-"))
        .findFirst().orElseThrow());
    assertTrue(log.contains("draining: not ready any more"), log);
    assertTrue(log.contains("drained and stopped"), log);
  }
}

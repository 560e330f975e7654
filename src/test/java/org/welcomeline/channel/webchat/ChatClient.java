package org.welcomeline.channel.webchat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client for tests: frames arrive in a queue the test reads with a timeout. */
public final class ChatClient implements AutoCloseable {
  public final String session;
  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  public ChatClient(Vertx vertx, int port, String session) throws Exception {
    this.session = session;
    this.client = vertx.createWebSocketClient();
    String uri = "/channels/webchat" + (session == null ? "" : "?session=" + session);
    // the handler is set on the event loop as the socket opens, so no early frame is missed
    this.ws = client.connect(port, "127.0.0.1", uri)
        .onSuccess(socket -> socket.textMessageHandler(t -> frames.add(new JsonObject(t))))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public void sendRaw(String text) {
    ws.writeTextMessage(text);
  }

  public void sendBinary(byte[] bytes) {
    ws.writeBinaryMessage(Buffer.buffer(bytes));
  }

  public void send(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  public void message(String id, String text) {
    send(new JsonObject().put("type", "message").put("id", id).put("text", text));
  }

  /** The next frame, waiting up to 30 s for it to arrive. */
  public JsonObject next() throws InterruptedException {
    JsonObject f = frames.poll(30, TimeUnit.SECONDS);
    if (f == null) {
      throw new AssertionError("no frame within 30 s");
    }
    return f;
  }

  /** Sends a message and returns the next frame (its answer). */
  public JsonObject ask(String id, String text) throws InterruptedException {
    message(id, text);
    return next();
  }

  /** Closes the socket and waits for the closing handshake, so the server has seen it too. */
  @Override
  public void close() {
    try {
      ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // already closed by the server
    }
    client.close();
  }
}

package org.welcomeline.channel.twilio;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server that speaks Twilio's Messages API
 * ({@code POST /2010-04-01/Accounts/{sid}/Messages.json}): 201 with a message resource, or the
 * scripted error responses (status + Twilio error body) queued by the test.
 */
public final class FakeTwilioApi implements AutoCloseable {
  /** One request as received. */
  public record Received(String path, String authorization, MultiMap form) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final Queue<int[]> script = new ConcurrentLinkedQueue<>();
  public final List<Received> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger seq = new AtomicInteger();
  private final java.util.Map<String, Queue<int[]>> byNumber = new java.util.concurrent.ConcurrentHashMap<>();

  public FakeTwilioApi() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.setExpectMultipart(true).endHandler(v -> {
      requests.add(new Received(req.path(), req.getHeader("Authorization"), MultiMap.caseInsensitiveMultiMap()
          .addAll(req.formAttributes())));
      Queue<int[]> own = byNumber.get(req.getFormAttribute("To"));
      int[] next = own != null && !own.isEmpty() ? own.poll() : script.poll();
      String sid = String.format("SM%032d", seq.incrementAndGet());
      if (!req.path().matches("/2010-04-01/Accounts/[^/]+/Messages\\.json")) {
        req.response().setStatusCode(404).end(error(20404, 404, "The requested resource was not found").encode());
      } else if (next == null) {
        req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("sid", sid).put("status", "queued").put("to", req.getFormAttribute("To"))
                .put("from", req.getFormAttribute("From")).put("body", req.getFormAttribute("Body"))
                .put("num_segments", "1").encode());
      } else {
        req.response().setStatusCode(next[0]).putHeader("Content-Type", "application/json")
            .end(error(next[1], next[0], "scripted failure").encode());
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject error(int code, int status, String message) {
    return new JsonObject().put("code", code).put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
  }

  /** The next response will be this HTTP status with this Twilio error code. */
  public FakeTwilioApi fail(int httpStatus, int twilioCode) {
    script.add(new int[] {httpStatus, twilioCode});
    return this;
  }

  /** The next message to {@code to} gets this HTTP status with this Twilio error code (per-number script). */
  public FakeTwilioApi failFor(String to, int httpStatus, int twilioCode) {
    byNumber.computeIfAbsent(to, k -> new ConcurrentLinkedQueue<>()).add(new int[] {httpStatus, twilioCode});
    return this;
  }

  /** Requests that were for {@code to}. */
  public long requestsTo(String to) {
    return requests.stream().filter(r -> to.equals(r.form().get("To"))).count();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    vertx.close();
  }
}

package org.welcomeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load harness counts what it should and stops at its bounds. */
class LoadHarnessTest {
  Vertx vertx;
  HttpServer server;
  AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> {
      int n = received.incrementAndGet();
      if (req.path().equals("/hang")) {
        return; // never answers
      }
      req.response().setStatusCode(n % 4 == 0 ? 500 : 200).end("ok");
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  LoadHarness.Result run(String path, int max, long timeout) throws Exception {
    return LoadHarness.run(vertx, new LoadHarness.Plan(URI.create("http://127.0.0.1:" + server.actualPort() + path),
        "POST", 500, max, 60_000, timeout, "token-for-signing", "https://x.example", List.of("hola", "مرحبا")))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void countsServerErrorsAndStopsAtTheRequestBound() throws Exception {
    LoadHarness.Result r = run("/channels/twilio/sms", 200, 5_000);
    assertEquals(200, r.sent());
    assertEquals(200, received.get(), "no request beyond the bound");
    assertEquals(50, r.errors(), "every 4th answer was a 500");
    assertEquals(150, r.ok());
    assertTrue(r.p50us() > 0 && r.maxUs() >= r.p99us() && r.p99us() >= r.p50us());
  }

  @Test
  void countsTimeoutsWhenTheServerDoesNotAnswer() throws Exception {
    LoadHarness.Result r = run("/hang", 20, 300);
    assertEquals(20, r.timeouts());
    assertEquals(0, r.ok());
  }

  @Test
  void refusesNonLoopbackTargets() {
    ExecutionException e = assertThrows(ExecutionException.class, () -> LoadHarness.run(vertx,
        new LoadHarness.Plan(URI.create("http://192.0.2.1:80/x"), "GET", 10, 1, 1000, 100, null, null, List.of()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalArgumentException);
  }
}

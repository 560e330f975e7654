package org.welcomeline.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.welcomeline.Backend;
import org.welcomeline.channel.twilio.TwilioWebhooks;
import org.welcomeline.channel.webchat.WebChatChannel;
import org.welcomeline.dialogue.RateLimiter;
import org.welcomeline.config.Config;
import org.welcomeline.nlu.LanguageDetector;
import org.welcomeline.nlu.Nlu;
import org.welcomeline.nlu.Scored;

/** The HTTP server: public routes, the web-chat socket, operations endpoints, static assets. */
public final class HttpVerticle extends VerticleBase {
  private static final int MAX_BODY = 64 * 1024;

  private final Config config;
  private final Supplier<Backend> backend;
  private final BooleanSupplier databaseUp;
  private final PrometheusMeterRegistry registry;
  private final WorkerExecutor workers;
  private final TwilioWebhooks twilio;
  private final Console console;
  private final NeedsApi needs;
  private HttpServer server;
  private WebChatChannel webchat;
  private volatile boolean draining;

  public HttpVerticle(Config config, Supplier<Backend> backend, BooleanSupplier databaseUp,
                     PrometheusMeterRegistry registry, WorkerExecutor workers, TwilioWebhooks twilio,
                      Console console, NeedsApi needs) {
    this.console = console;
    this.needs = needs;
    this.twilio = twilio;
    this.config = config;
    this.backend = backend;
    this.databaseUp = databaseUp;
    this.registry = registry;
    this.workers = workers;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    webchat = new WebChatChannel(vertx, backend, workers, new WebChatChannel.Limits(
        config.webchatMaxPending(), config.maxTextChars(), config.webchatConnectionsPerIp(),
        config.webchatRatePerMinute()));
    RateLimiter apiLimiter = new RateLimiter(config.apiRatePerMinute());
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer")
          .putHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
              + "img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
          .putHeader("X-Frame-Options", "DENY");
      if (ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"))) {
        // only over TLS (directly or behind a TLS-terminating proxy): HSTS on plain HTTP is meaningless
        ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
      }
      ctx.next();
    });
    router.get("/channels/webchat").handler(ctx -> ctx.request().toWebSocket()
        .onSuccess(ws -> webchat.handle(ws, clientIp(ctx)))
        .onFailure(t -> Errors.send(ctx, 400, "not_websocket", "Connect with a WebSocket.")));
    twilio.mount(router);
    router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> limit = ctx -> {
      if (apiLimiter.check(clientIp(ctx), System.currentTimeMillis()) == RateLimiter.Decision.ALLOW) {
        ctx.next();
      } else {
        ctx.response().putHeader("Retry-After", "60");
        Errors.send(ctx, 429, "rate_limited", "Too many requests from your address; retry in a minute.");
      }
    };
    router.route("/api/*").handler(limit);
    router.route("/open311/*").handler(limit);
    router.get("/api/v1/privacy").handler(this::privacy);
    console.mount(router);
    needs.mount(router);
    // the route also matches "/console/needs/": redirecting that one too would loop
    router.get("/console/needs").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/console/needs/");
      }
    });
    router.post("/api/v1/nlu/parse").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::parse);
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html")
        .setDefaultContentEncoding("UTF-8"));
    router.errorHandler(413, ctx -> Errors.send(ctx, 413, "too_large", "Request body too large."));
    router.errorHandler(404, ctx -> Errors.send(ctx, 404, "not_found", "No such resource."));
    router.errorHandler(405, ctx -> Errors.send(ctx, 405, "method_not_allowed", "Method not allowed."));
    router.errorHandler(500, ctx -> Errors.internal(ctx, ctx.failure()));
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.httpPort())
        .setMaxWebSocketMessageSize(MAX_BODY).setMaxWebSocketFrameSize(MAX_BODY)
        .setCompressionSupported(true);
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen();
  }

  /**
   * The client's address: the TCP peer, or, when {@code trust_proxy} is set, the last X-Forwarded-For
   * hop, the one our own proxy added (earlier hops are whatever the client claimed, so a client could
   * dodge the per-address limits by sending its own header).
   */
  private String clientIp(RoutingContext ctx) {
    if (config.trustProxy()) {
      String xff = ctx.request().getHeader("X-Forwarded-For");
      if (xff != null && !xff.isBlank()) {
        String[] hops = xff.split(",");
        return hops[hops.length - 1].strip();
      }
    }
    var peer = ctx.request().remoteAddress();
    return peer == null ? "unknown" : peer.hostAddress();
  }

  public int port() {
    return server.actualPort();
  }

  /** Readiness goes to 503 "draining" (the balancer stops sending) before the server stops. */
  public void draining(boolean on) {
    draining = on;
  }

  /**
   * Closes every web-chat socket with a reconnect hint (the page reconnects, to another instance
   * behind the balancer), then stops accepting and waits up to {@code timeoutMs} for in-flight requests.
   */
  public io.vertx.core.Future<Void> drain(long timeoutMs) {
    webchat.closeAll();
    needs.closeStreams();
    return server == null ? io.vertx.core.Future.succeededFuture()
        : server.shutdown(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void ready(RoutingContext ctx) {
    if (draining) {
      json(ctx, 503, new JsonObject().put("status", "draining"));
      return;
    }
    boolean models = backend.get() != null;
    workers.executeBlocking(databaseUp::getAsBoolean, false).onComplete(ar -> {
      boolean db = ar.succeeded() && ar.result();
      JsonObject body = new JsonObject().put("models", models).put("database", db);
      json(ctx, models && db ? 200 : 503, body.put("status", models && db ? "ready" : "starting"));
    });
  }

  /** {@code GET /api/v1/privacy?language=xx}: the privacy notice, in the language or explicitly in the default. */
  private void privacy(RoutingContext ctx) {
    Backend b = backend.get();
    if (b == null) {
      Errors.send(ctx, 503, "not_ready", "Still starting; retry shortly.");
      return;
    }
    String asked = ctx.request().getParam("language", config.defaultLanguage());
    boolean known = b.locales().hasKey(asked, "privacy.notice");
    String lang = known ? asked : config.defaultLanguage();
    String text = b.locales().format(lang, "privacy.notice", "days", config.retentionMessageDays());
    json(ctx, 200, new JsonObject().put("language", lang).put("requested", asked).put("fallback", !known)
        .put("text", text).put("retention_days", config.retentionMessageDays()));
  }

  /** {@code POST /api/v1/nlu/parse}, shaped like Rasa's {@code /model/parse}. */
  private void parse(RoutingContext ctx) {
    Backend b = backend.get();
    if (b == null) {
      Errors.send(ctx, 503, "not_ready", "Models are still training; retry shortly.");
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      Errors.send(ctx, 400, "bad_json", "Body must be a JSON object like {\"text\": \"...\"}.");
      return;
    }
    if (body == null) {
      Errors.send(ctx, 400, "bad_json", "Body must be a JSON object like {\"text\": \"...\"}.");
      return;
    }
    if (!(body.getValue("text") instanceof String text)) {
      Errors.send(ctx, 400, "bad_text", "'text' is required and must be a string.");
      return;
    }
    if (text.isBlank()) {
      Errors.send(ctx, 400, "empty_text", "'text' must not be empty.");
      return;
    }
    if (text.length() > config.maxTextChars()) {
      Errors.send(ctx, 400, "too_long", "'text' is longer than " + config.maxTextChars() + " characters.");
      return;
    }
    Object lang = body.getValue("language");
    if (lang != null && !(lang instanceof String l && b.nlu().languages().contains(l))) {
      Errors.send(ctx, 400, "bad_language", "'language' must be one of " + b.nlu().languages());
      return;
    }
    workers.executeBlocking(() -> parse(b.nlu(), text, (String) lang, config.defaultLanguage()), false)
        .onSuccess(result -> json(ctx, 200, result))
        .onFailure(t -> Errors.internal(ctx, t));
  }

  public static JsonObject parse(Nlu nlu, String text, String language, String fallback) {
    double langConfidence = 1.0;
    String code = language;
    if (code == null) {
      LanguageDetector.Detection d = nlu.detectLanguage(text);
      code = d.language() == null ? fallback : d.language();
      langConfidence = d.confidence();
    }
    String model = nlu.supports(code) ? code : fallback;
    List<Scored> ranking = nlu.classify(model, text);
    JsonArray rank = new JsonArray();
    ranking.stream().limit(10).forEach(s -> rank.add(new JsonObject().put("name", s.name()).put("confidence", s.confidence())));
    JsonObject intent = ranking.isEmpty() ? null
        : new JsonObject().put("name", ranking.get(0).name()).put("confidence", ranking.get(0).confidence());
    return new JsonObject().put("text", text)
        .put("language", new JsonObject().put("code", code).put("confidence", langConfidence))
        .put("intent", intent).put("entities", new JsonArray()).put("intent_ranking", rank);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }
}

package org.welcomeline.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place HTTP errors are written: JSON body, no message text or addresses in logs. */
public final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {
  }

  public static void send(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }

  /** Internal failure: 500 with a correlation id, logged once with the exception type only. */
  public static void internal(RoutingContext ctx, Throwable t) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    LOG.error("internal error {} on {} {}: {}", id, ctx.request().method(), ctx.request().path(),
        t == null ? "unknown" : t.getClass().getName());
    send(ctx, 500, "internal", "Internal error (reference " + id + ")");
  }
}

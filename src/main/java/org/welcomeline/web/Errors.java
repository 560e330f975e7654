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

  /** The disk (or the database's size limit) is full: SQLite's SQLITE_FULL, PostgreSQL's 53100. */
  static boolean storageFull(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof java.sql.SQLException e && (e.getErrorCode() == 13 && String.valueOf(e.getMessage())
          .contains("SQLITE_FULL") || "53100".equals(e.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** Connection lost, pool timeout, server shutting down (SQLState class 08 and 57P). */
  static boolean databaseUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLTransientException || c instanceof java.sql.SQLRecoverableException) {
        return true;
      }
      if (c instanceof java.sql.SQLException e && e.getSQLState() != null
          && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  public static void send(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }

  /**
   * Internal failure: 500 with a correlation id, logged once with the exception type only. A database
   * that is down or restarting is not a bug: 503 with Retry-After, so clients (Twilio, browsers) retry.
   */
  public static void internal(RoutingContext ctx, Throwable t) {
    if (storageFull(t)) {
      LOG.error("storage full on {} {}: free disk space (the message was not stored)", ctx.request().method(),
          ctx.request().path());
      if (!ctx.response().ended()) {
        ctx.response().putHeader("Retry-After", "30");
      }
      send(ctx, 503, "storage_full", "The service is out of storage space; retry later.");
      return;
    }
    if (databaseUnavailable(t)) {
      LOG.warn("database unavailable on {} {}: {}", ctx.request().method(), ctx.request().path(),
          t.getClass().getName());
      if (!ctx.response().ended()) {
        ctx.response().putHeader("Retry-After", "5");
      }
      send(ctx, 503, "unavailable", "The service cannot reach its database right now; retry in a few seconds.");
      return;
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    LOG.error("internal error {} on {} {}: {}", id, ctx.request().method(), ctx.request().path(),
        t == null ? "unknown" : t.getClass().getName());
    send(ctx, 500, "internal", "Internal error (reference " + id + ")");
  }
}

package org.welcomeline.web;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import org.welcomeline.Backend;
import org.welcomeline.channel.Sender;
import org.welcomeline.content.SmsText;
import org.welcomeline.dialogue.ConversationState;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Inbox;
import org.welcomeline.store.StaffStore;
import org.welcomeline.store.StaffStore.Role;

/**
 * The staff console's JSON API under {@code /api/v1/console/} (the pages are static files under
 * {@code /console/}). Login sets an HttpOnly, SameSite=Strict session cookie; every state change
 * needs the session's CSRF token in {@code X-CSRF-Token}; each route names the roles it allows;
 * every staff action is written to the audit log. Blocking work runs on the worker pool.
 */
public final class Console {
  public static final String COOKIE = "wl_staff";
  static final int MAX_REPLY_CHARS = 1600;
  private static final Set<Role> ANYONE = EnumSet.allOf(Role.class);
  private static final Set<Role> EDITORS = EnumSet.of(Role.EDITOR, Role.ADMIN);

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final StaffStore staff;
  private final Inbox inbox;
  private final org.welcomeline.channel.Outbound outbound;
  private final Supplier<Backend> backend;
  private final boolean secureCookie;

  private final org.welcomeline.store.Broadcasts broadcasts;
  private final org.welcomeline.config.Config config;

  public Console(Vertx vertx, WorkerExecutor workers, StaffStore staff, Inbox inbox, Sender sender,
                 Supplier<Backend> backend, boolean secureCookie, org.welcomeline.config.Config config) {
    this.config = config;
    this.broadcasts = new org.welcomeline.store.Broadcasts(inbox.db());
    this.vertx = vertx;
    this.workers = workers;
    this.staff = staff;
    this.inbox = inbox;
    this.outbound = new org.welcomeline.channel.Outbound(vertx, sender);
    this.backend = backend;
    this.secureCookie = secureCookie;
  }

  public void mount(Router router) {
    String base = "/api/v1/console";
    router.route(base + "/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.post(base + "/login").handler(this::login);
    router.route(base + "/*").handler(this::authenticate);
    router.post(base + "/logout").handler(ctx -> guarded(ctx, ANYONE, s -> {
      staff.logout(ctx.request().getCookie(COOKIE).getValue());
      staff.audit(s.user(), "logout", null, null, System.currentTimeMillis());
      ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
      return new JsonObject().put("ok", true);
    }));
    router.get(base + "/me").handler(ctx -> guarded(ctx, ANYONE, s -> me(s)));
    router.get(base + "/inbox").handler(ctx -> guarded(ctx, ANYONE, s -> inboxList()));
    router.get(base + "/conversations/:id").handler(ctx -> guarded(ctx, ANYONE,
        s -> conversation(ctx.pathParam("id"))));
    router.post(base + "/conversations/:id/reply").handler(ctx -> guarded(ctx, EDITORS,
        s -> reply(s, ctx.pathParam("id"), body(ctx))));
    router.post(base + "/conversations/:id/close").handler(ctx -> guarded(ctx, EDITORS,
        s -> close(s, ctx.pathParam("id"))));
    Set<Role> approvers = EnumSet.of(Role.APPROVER, Role.ADMIN);
    router.post(base + "/broadcasts").handler(ctx -> guarded(ctx, EDITORS, s -> compose(s, body(ctx))));
    router.get(base + "/broadcasts/:id").handler(ctx -> guarded(ctx, ANYONE, s -> broadcast(ctx.pathParam("id"))));
    router.post(base + "/broadcasts/:id/approve").handler(ctx -> guarded(ctx, approvers,
        s -> approve(s, ctx.pathParam("id"))));
    router.post(base + "/broadcasts/:id/send").handler(ctx -> guarded(ctx, EDITORS,
        s -> startSending(s, ctx.pathParam("id"), body(ctx))));
    router.post(base + "/broadcasts/:id/cancel").handler(ctx -> guarded(ctx, EDITORS, s -> {
      int stopped = broadcasts.cancel(ctx.pathParam("id"), System.currentTimeMillis());
      staff.audit(s.user(), "broadcast_cancel", ctx.pathParam("id"), stopped + " not sent", System.currentTimeMillis());
      return broadcast(ctx.pathParam("id")).put("cancelled_deliveries", stopped);
    }));
    router.get(base + "/audit").handler(ctx -> guarded(ctx, EnumSet.of(Role.ADMIN), s -> audit()));
  }

  /** A JSON answer computed on a worker; {@link ApiError} becomes a clear JSON error. */
  @FunctionalInterface
  interface Work {
    JsonObject run(StaffStore.Session s) throws Exception;
  }

  static final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** Secure when the request came over TLS (directly or through the proxy), or when configured so. */
  private Cookie cookie(RoutingContext ctx, String value) {
    boolean tls = ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
    return Cookie.cookie(COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/")
        .setSecure(secureCookie || tls);
  }

  private void login(RoutingContext ctx) {
    JsonObject body = json(ctx);
    if (body == null) {
      Errors.send(ctx, 400, "bad_json", "Send {\"username\": ..., \"password\": ...}.");
      return;
    }
    String user = body.getValue("username") instanceof String u ? u : "";
    String password = body.getValue("password") instanceof String p ? p : "";
    workers.executeBlocking(() -> staff.login(user, password, System.currentTimeMillis()), false)
        .onSuccess(result -> {
          if (result instanceof StaffStore.Ok ok) {
            ctx.response().addCookie(cookie(ctx, ok.token()).setMaxAge(StaffStore.SESSION_MS / 1000));
            send(ctx, 200, me(ok.session()));
          } else if (result instanceof StaffStore.Locked) {
            Errors.send(ctx, 429, "locked", "Too many failed logins: this account is locked for "
                + StaffStore.LOCK_MS / 60_000 + " minutes.");
          } else {
            Errors.send(ctx, 401, "bad_credentials", "Wrong username or password.");
          }
        })
        .onFailure(t -> Errors.internal(ctx, t));
  }

  private void authenticate(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    String token = c == null ? null : c.getValue();
    workers.executeBlocking(() -> staff.session(token, System.currentTimeMillis()), false).onComplete(ar -> {
      if (ar.failed()) {
        Errors.internal(ctx, ar.cause());
      } else if (ar.result() == null) {
        Errors.send(ctx, 401, "login_required", "Log in first (or again: sessions expire after 8 hours).");
      } else if (!ctx.request().method().name().equals("GET") && !sameToken(ar.result().csrf(),
          ctx.request().getHeader("X-CSRF-Token"))) {
        Errors.send(ctx, 403, "csrf", "Missing or wrong X-CSRF-Token.");
      } else {
        ctx.put("session", ar.result());
        ctx.next();
      }
    });
  }

  private static boolean sameToken(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  void guarded(RoutingContext ctx, Set<Role> roles, Work work) {
    StaffStore.Session s = ctx.get("session");
    if (!StaffStore.allows(s.user().role(), roles)) {
      Errors.send(ctx, 403, "forbidden", "Your role (" + s.user().role().name().toLowerCase()
          + ") may not do this.");
      return;
    }
    workers.executeBlocking(() -> work.run(s), false).onComplete(ar -> {
      if (ar.succeeded()) {
        send(ctx, 200, ar.result());
      } else if (ar.cause() instanceof ApiError e) {
        Errors.send(ctx, e.status, e.code, e.getMessage());
      } else {
        Errors.internal(ctx, ar.cause());
      }
    });
  }

  private JsonObject me(StaffStore.Session s) {
    return new JsonObject().put("username", s.user().username()).put("role", s.user().role().name().toLowerCase())
        .put("csrf", s.csrf()).put("languages", new JsonArray(config.languages()))
        .put("topics", new JsonArray(org.welcomeline.nlu.Intents.TOPICS))
        .put("districts", new JsonArray(config.districts()));
  }

  private JsonObject inboxList() throws Exception {
    long now = System.currentTimeMillis();
    JsonArray items = inbox.db().tx(c -> {
      JsonArray out = new JsonArray();
      try (PreparedStatement ps = c.prepareStatement("SELECT k.id, k.channel, k.language, k.handoff_since, "
          + "(SELECT m.intent FROM messages m WHERE m.contact_id = k.id AND m.direction = 'in' AND m.intent IS NOT NULL "
          + " AND m.intent NOT LIKE 'handoff%' ORDER BY m.created_at DESC LIMIT 1) "
          + "FROM contacts k WHERE k.handoff_since IS NOT NULL ORDER BY k.handoff_since LIMIT 200")) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new JsonObject().put("id", rs.getString(1)).put("channel", rs.getString(2))
                .put("language", rs.getString(3)).put("waiting_since", rs.getLong(4))
                .put("waiting_seconds", (now - rs.getLong(4)) / 1000).put("topic", rs.getString(5)));
          }
        }
      }
      return out;
    });
    return new JsonObject().put("conversations", items);
  }

  private JsonObject conversation(String id) throws Exception {
    JsonObject found = inbox.db().tx(c -> {
      JsonObject conv;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT channel, language, handoff_since FROM contacts WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          conv = new JsonObject().put("id", id).put("channel", rs.getString(1)).put("language", rs.getString(2))
              .put("handed_off", rs.getObject(3) != null);
        }
      }
      JsonArray messages = new JsonArray();
      try (PreparedStatement ps = c.prepareStatement("SELECT direction, body_enc, intent, language, created_at, status "
          + "FROM messages WHERE contact_id = ? ORDER BY created_at DESC LIMIT 50")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String body = rs.getString(2);
            messages.add(0, new JsonObject().put("direction", rs.getString(1))
                .put("text", body == null ? null : inbox.crypto().decrypt(body)).put("intent", rs.getString(3))
                .put("language", rs.getString(4)).put("at", rs.getLong(5)).put("status", rs.getString(6)));
          }
        }
      }
      return conv.put("messages", messages);
    });
    if (found == null) {
      throw new ApiError(404, "not_found", "No such conversation (the resident may have erased their data).");
    }
    Backend b = backend.get();
    String lang = found.getString("language") == null ? "en" : found.getString("language");
    if (b != null) {
      JsonArray canned = new JsonArray();
      for (String key : new String[] {"human.handoff", "greeting.reply", "help"}) {
        canned.add(b.locales().format(lang, key));
      }
      found.put("canned", canned);
    }
    return found;
  }

  private JsonObject reply(StaffStore.Session s, String id, JsonObject body) throws Exception {
    if (body == null || !(body.getValue("text") instanceof String text) || text.isBlank()) {
      throw new ApiError(400, "empty_text", "Write a reply first.");
    }
    if (text.length() > MAX_REPLY_CHARS) {
      throw new ApiError(400, "too_long", "A reply has at most " + MAX_REPLY_CHARS + " characters.");
    }
    long now = System.currentTimeMillis();
    ContactStore.Reach target = inbox.db().tx(c -> inbox.contacts().reach(c, id));
    if (target == null) {
      throw new ApiError(404, "not_found", "No such conversation (the resident may have erased their data).");
    }
    if (target.optedOut()) {
      throw new ApiError(409, "opted_out", "This resident sent STOP: nothing can be sent until they send START.");
    }
    String channel = target.channel();
    org.welcomeline.channel.Outbound.Sent sent;
    try {
      sent = outbound.send(channel, target.address(), text, target.language(), "staff");
    } catch (org.welcomeline.channel.SendException e) {
      // the provider's text may repeat the resident's number: only its error code is shown
      throw new ApiError(502, "send_failed", "The SMS provider refused the message (error "
          + (e.code() == null ? e.kind().name().toLowerCase() : e.code()) + ").");
    }
    String status = sent.status();
    inbox.db().tx(c -> inbox.messages().storeSent(c, channel, target.addressHash(), id, null, text, target.language(),
        "staff", status, sent.providerId(), now));
    staff.audit(s.user(), "reply", id, channel, now);
    return new JsonObject().put("ok", true).put("channel", channel).put("status", status);
  }

  private JsonObject close(StaffStore.Session s, String id) throws Exception {
    long now = System.currentTimeMillis();
    ContactStore contacts = inbox.contacts();
    String[] found = inbox.db().tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT address_hash, language FROM contacts WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          String hash = rs.getString(1);
          String lang = rs.getString(2);
          ContactStore.Contact contact = contacts.find(c, hash);
          ConversationState state = contact.state().withHandoff(false).withFailures(0);
          contacts.saveState(c, id, state, now);
          return new String[] {hash, lang};
        }
      }
    });
    if (found == null) {
      throw new ApiError(404, "not_found", "No such conversation.");
    }
    staff.audit(s.user(), "close", id, null, now);
    Backend b = backend.get();
    if (b != null) {
      String lang = found[1] == null ? "en" : found[1];
      reply(s, id, new JsonObject().put("text", b.locales().format(lang, "handoff.closed")));
    }
    return new JsonObject().put("ok", true);
  }

  /** Validates a composition and stores it as a draft; answers with the preview. */
  private JsonObject compose(StaffStore.Session s, JsonObject body) throws Exception {
    if (body == null) {
      throw new ApiError(400, "bad_json", "Send a JSON object with texts and audience.");
    }
    JsonObject textsJson = body.getValue("texts") instanceof JsonObject t ? t : new JsonObject();
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    for (String lang : textsJson.fieldNames()) {
      if (!config.languages().contains(lang)) {
        throw new ApiError(400, "bad_language", "Unknown language '" + lang + "'; configured: " + config.languages());
      }
      if (!(textsJson.getValue(lang) instanceof String t) || t.isBlank()) {
        continue;
      }
      if (t.length() > MAX_REPLY_CHARS) {
        throw new ApiError(400, "too_long", "The " + lang + " text is longer than " + MAX_REPLY_CHARS + " characters.");
      }
      texts.put(lang, t.strip());
    }
    if (texts.isEmpty()) {
      throw new ApiError(400, "no_text", "Write the message in at least one language.");
    }
    JsonObject aj = body.getValue("audience") instanceof JsonObject a ? a : new JsonObject();
    org.welcomeline.store.Broadcasts.Audience audience;
    try {
      audience = org.welcomeline.store.Broadcasts.Audience.of(aj);
    } catch (ClassCastException e) {
      throw new ApiError(400, "bad_audience", "audience.topics, .languages and .districts are lists of names.");
    }
    for (String t : audience.topics()) {
      if (!org.welcomeline.nlu.Intents.TOPICS.contains(t)) {
        throw new ApiError(400, "bad_topic", "Unknown topic '" + t + "'; topics: " + org.welcomeline.nlu.Intents.TOPICS);
      }
    }
    for (String d : audience.districts()) {
      if (!config.districts().contains(d)) {
        throw new ApiError(400, "bad_district", "Unknown district '" + d + "'; districts: " + config.districts());
      }
    }
    for (String l : audience.languages()) {
      if (!config.languages().contains(l)) {
        throw new ApiError(400, "bad_language", "Unknown language '" + l + "'.");
      }
    }
    String fallback = body.getValue("fallback") instanceof String f && !f.isBlank() ? f : null;
    if (fallback != null && !texts.containsKey(fallback)) {
      throw new ApiError(400, "bad_fallback", "The fallback language must be one of the written texts " + texts.keySet());
    }
    boolean emergency = Boolean.TRUE.equals(body.getValue("emergency"));
    java.util.Map<String, Integer> byLanguage = broadcasts.audienceByLanguage(audience);
    int recipients = 0;
    for (var e : byLanguage.entrySet()) {
      if (texts.containsKey(e.getKey()) || fallback != null) {
        recipients += e.getValue();
      }
    }
    long now = System.currentTimeMillis();
    String id = broadcasts.create(s.user().id(), emergency, audience, texts, fallback, recipients, now);
    staff.audit(s.user(), "broadcast_compose", id, recipients + " recipients", now);
    return broadcast(id);
  }

  /** The broadcast, its preview (recipients, segments and cost per language, who is not reached) and progress. */
  private JsonObject broadcast(String id) throws Exception {
    org.welcomeline.store.Broadcasts.Broadcast b = broadcasts.find(id);
    if (b == null) {
      throw new ApiError(404, "not_found", "No such broadcast.");
    }
    java.util.Map<String, Integer> byLanguage = broadcasts.audienceByLanguage(b.audience());
    JsonArray preview = new JsonArray();
    double cost = 0;
    Backend be = backend.get();
    for (var e : byLanguage.entrySet()) {
      String lang = e.getKey();
      String used = b.texts().containsKey(lang) ? lang : b.fallback();
      JsonObject row = new JsonObject().put("language", lang).put("recipients", e.getValue());
      if (used == null) {
        row.put("text_language", null).put("reached", false);
      } else {
        String text = b.texts().get(used) + (be == null ? "" : "\n" + be.locales().format(used, "broadcast.footer"));
        SmsText.Count count = SmsText.count(text);
        double c = count.segments() * (double) e.getValue() * config.smsPricePerSegment();
        cost += c;
        row.put("text_language", used).put("fallback", !used.equals(lang)).put("reached", true)
            .put("segments", count.segments()).put("encoding", count.encoding().name())
            .put("estimated_cost", Math.round(c * 100) / 100.0);
      }
      preview.add(row);
    }
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (String lang : byLanguage.keySet()) {
      if (!b.texts().containsKey(lang)) {
        missing.add(lang);
      }
    }
    return new JsonObject().put("id", b.id()).put("status", b.status()).put("emergency", b.emergency())
        .put("scheduled_at", b.scheduledAt())
        .put("audience", b.audience().json()).put("texts", new JsonObject(new java.util.LinkedHashMap<>(b.texts())))
        .put("fallback", b.fallback()).put("recipients", b.recipients())
        .put("needs_approval", b.recipients() > config.broadcastApprovalOver() && b.approvedBy() == null)
        .put("missing_languages", new JsonArray(missing)).put("preview", preview)
        .put("estimated_cost", Math.round(cost * 100) / 100.0).put("progress", broadcasts.progress(id));
  }

  private JsonObject approve(StaffStore.Session s, String id) throws Exception {
    org.welcomeline.store.Broadcasts.Broadcast b = broadcasts.find(id);
    if (b == null) {
      throw new ApiError(404, "not_found", "No such broadcast.");
    }
    if (b.createdBy().equals(s.user().id())) {
      throw new ApiError(403, "second_person", "A broadcast is approved by someone other than its author.");
    }
    if (!broadcasts.transition(id, java.util.List.of("draft"), "approved", s.user().id(), System.currentTimeMillis())) {
      throw new ApiError(409, "bad_state", "Only a draft can be approved (this one is " + b.status() + ").");
    }
    staff.audit(s.user(), "broadcast_approve", id, null, System.currentTimeMillis());
    return broadcast(id);
  }

  static final long DUPLICATE_WINDOW_MS = 24 * 3_600_000L;

  private JsonObject startSending(StaffStore.Session s, String id, JsonObject body) throws Exception {
    org.welcomeline.store.Broadcasts.Broadcast b = broadcasts.find(id);
    if (b == null) {
      throw new ApiError(404, "not_found", "No such broadcast.");
    }
    if (b.recipients() > config.broadcastApprovalOver() && b.approvedBy() == null) {
      throw new ApiError(409, "approval_required", "This broadcast reaches " + b.recipients()
          + " people (more than " + config.broadcastApprovalOver() + "): a second person must approve it first.");
    }
    if (b.status().equals("sending") || b.status().equals("sent")) {
      return broadcast(id); // a double click or a retry: already under way, nothing twice
    }
    if (!b.status().equals("draft") && !b.status().equals("approved")) {
      throw new ApiError(409, "bad_state", "This broadcast is " + b.status() + ".");
    }
    JsonObject options = body == null ? new JsonObject() : body;
    long now = System.currentTimeMillis();
    if (!Boolean.TRUE.equals(options.getValue("confirm_duplicate"))
        && broadcasts.recentDuplicate(b.audience(), b.texts(), now - DUPLICATE_WINDOW_MS, b.id())) {
      throw new ApiError(409, "duplicate_recent", "The same text went to the same audience in the last 24 hours; "
          + "send again with \"confirm_duplicate\": true if you really mean it.");
    }
    Object at = options.getValue("scheduled_at");
    if (at != null && !b.emergency()) {
      if (!(at instanceof Number n) || n.longValue() <= now) {
        throw new ApiError(400, "bad_schedule", "scheduled_at must be a time in the future (epoch milliseconds).");
      }
      broadcasts.schedule(id, n.longValue(), now);
      staff.audit(s.user(), "broadcast_schedule", id, String.valueOf(n.longValue()), now);
      return broadcast(id);
    }
    // emergencies skip the schedule queue: they go now, and first
    int n = broadcasts.start(b, System.currentTimeMillis());
    staff.audit(s.user(), "broadcast_send", id, n + " deliveries", System.currentTimeMillis());
    return broadcast(id);
  }

  private JsonObject audit() throws Exception {
    JsonArray rows = new JsonArray();
    for (String[] r : staff.auditLog(200)) {
      rows.add(new JsonObject().put("at", Long.parseLong(r[0])).put("username", r[1]).put("action", r[2])
          .put("target", r[3]).put("detail", r[4]));
    }
    return new JsonObject().put("entries", rows);
  }

  /** The JSON body (empty when there is none); a body that is not a JSON object is a clear 400. */
  static JsonObject bodyOf(RoutingContext ctx) {
    JsonObject j = body(ctx);
    return j == null ? new JsonObject() : j;
  }

  /** The JSON body (null when empty); malformed JSON or a non-object is a 400, never a 500. */
  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().length() <= 0) { // -1: no body at all
      return null;
    }
    JsonObject j = json(ctx);
    if (j == null) {
      throw new ApiError(400, "bad_json", "The body must be a JSON object.");
    }
    return j;
  }

  private static JsonObject json(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}

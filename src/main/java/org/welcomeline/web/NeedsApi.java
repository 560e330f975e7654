package org.welcomeline.web;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.welcomeline.Backend;
import org.welcomeline.channel.Outbound;
import org.welcomeline.config.Config;
import org.welcomeline.needs.NeedsAggregates;
import org.welcomeline.needs.Scrubber;
import org.welcomeline.nlu.Intents;
import org.welcomeline.nlu.LanguageDetector.Detection;
import org.welcomeline.nlu.Scored;
import org.welcomeline.store.ContactStore;
import org.welcomeline.store.Inbox;
import org.welcomeline.store.Needs;
import org.welcomeline.store.StaffStore;
import org.welcomeline.store.StaffStore.Role;

/**
 * Community needs over HTTP: the associations' API ({@code POST /api/v1/needs}, JSON or CSV, with an
 * API key), Open311 GeoReport v2 under {@code /open311/v2/}, and the officials' dashboard API under
 * {@code /api/v1/console/needs} (staff login; live updates as server-sent events). Officials only ever
 * see scrubbed text; aggregates by district × language hide groups smaller than k.
 */
public final class NeedsApi {
  /** Event-bus address: the id of a report that was created or changed (clustered: every instance). */
  public static final String CHANGED = "welcomeline.needs.changed";
  static final int MAX_TEXT = 2000;
  static final int MAX_BATCH = 1000;
  private static final int CSV_BODY_LIMIT = 8 * 1024 * 1024;
  private static final long DAY = 86_400_000L;
  private static final Set<Role> ANYONE = EnumSet.allOf(Role.class);
  private static final Set<Role> EDITORS = EnumSet.of(Role.EDITOR, Role.ADMIN);
  private static final List<String> CSV_COLUMNS = List.of("text", "topic", "language", "district", "people",
      "urgency", "external_id");

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Inbox inbox;
  private final Needs needs;
  private final Config config;
  private final Outbound outbound;
  private final Supplier<Backend> backend;
  private final StaffStore staff;
  private final Console console;
  private final Set<HttpServerResponse> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public NeedsApi(Vertx vertx, WorkerExecutor workers, Inbox inbox, Config config, Outbound outbound,
                  Supplier<Backend> backend, StaffStore staff, Console console) {
    this.vertx = vertx;
    this.workers = workers;
    this.inbox = inbox;
    this.needs = new Needs(inbox.crypto());
    this.config = config;
    this.outbound = outbound;
    this.backend = backend;
    this.staff = staff;
    this.console = console;
  }

  /** A clear error: HTTP status, a stable code, a sentence for people, and the field when there is one. */
  static final class Invalid extends RuntimeException {
    final int status;
    final String code;
    final String field;

    Invalid(int status, String code, String field, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.field = field;
    }

    JsonObject json() {
      return new JsonObject().put("code", code).put("message", getMessage()).put("field", field);
    }
  }

  /** Mounts every route; call after {@link Console#mount} so console routes are behind its login. */
  public void mount(Router router) {
    router.post("/api/v1/needs").handler(BodyHandler.create().setBodyLimit(1024 * 1024)).handler(this::postJson);
    router.post("/api/v1/needs/csv").handler(BodyHandler.create().setBodyLimit(CSV_BODY_LIMIT)).handler(this::postCsv);
    String o = "/open311/v2";
    router.route(o + "/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.get(o + "/services.json").handler(ctx -> open311(ctx, false, a -> services()));
    router.getWithRegex(o + "/services/([A-Za-z0-9_]+)\\.json").handler(ctx -> open311(ctx, false,
        a -> service(ctx.pathParam("param0"))));
    router.get(o + "/requests.json").handler(ctx -> open311(ctx, true, a -> requests(ctx)));
    router.getWithRegex(o + "/requests/([0-9]+)\\.json").handler(ctx -> open311(ctx, true,
        a -> request(ctx.pathParam("param0"))));
    router.post(o + "/requests.json").handler(ctx -> open311(ctx, true, a -> createOpen311(ctx, a)));
    router.postWithRegex(o + "/requests/([0-9]+)\\.json").handler(ctx -> open311(ctx, true,
        a -> statusOpen311(ctx, a)));

    String base = "/api/v1/console";
    router.get(base + "/needs").handler(ctx -> console.guarded(ctx, ANYONE, s -> list(ctx)));
    router.get(base + "/needs/stats").handler(ctx -> console.guarded(ctx, ANYONE, s -> stats(ctx)));
    router.get(base + "/needs/unanswered").handler(ctx -> console.guarded(ctx, ANYONE, s -> unanswered(ctx)));
    router.get(base + "/needs/export").handler(this::export);
    router.get(base + "/needs/events").handler(this::events);
    router.post(base + "/needs/:id/status").handler(ctx -> console.guarded(ctx, EDITORS,
        s -> changeStatus(s, ctx.pathParam("id"), Console.bodyOf(ctx))));
    Set<Role> admins = EnumSet.of(Role.ADMIN);
    router.get(base + "/associations").handler(ctx -> console.guarded(ctx, admins, s -> new JsonObject()
        .put("associations", new JsonArray(inbox.db().tx(Needs::associations).stream().map(Needs.Association::json)
            .toList()))));
    router.post(base + "/associations").handler(ctx -> console.guarded(ctx, admins,
        s -> register(s, Console.bodyOf(ctx))));
    router.post(base + "/associations/:id/revoke").handler(ctx -> console.guarded(ctx, admins, s -> {
      long now = System.currentTimeMillis();
      Needs.Association a = inbox.db().tx(c -> Needs.revoke(c, ctx.pathParam("id"), now));
      if (a == null) {
        throw new Console.ApiError(404, "not_found", "No such association.");
      }
      staff.audit(s.user(), "association_revoke", a.id(), a.name(), now);
      return a.json();
    }));
  }

  // ---- associations: JSON and CSV

  private void postJson(RoutingContext ctx) {
    String key = apiKey(ctx);
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      Errors.send(ctx, 400, "bad_json", "Send one need as a JSON object, or {\"needs\": [...]} for several.");
      return;
    }
    JsonObject b = body;
    workers.executeBlocking(() -> {
      Needs.Association a = association(key);
      if (!b.containsKey("needs")) {
        Needs.Created created = store(a, parse(b), "association");
        return new JsonObject().put("status", created.created() ? 201 : 200)
            .put("body", created.need().json().put("duplicate", !created.created()));
      }
      if (!(b.getValue("needs") instanceof JsonArray list)) {
        throw new Invalid(400, "bad_json", "needs", "needs must be a list of objects.");
      }
      if (list.size() > MAX_BATCH) {
        throw new Invalid(413, "too_many", "needs", "At most " + MAX_BATCH + " needs per request; nothing was stored.");
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Object o : list) {
        rows.add(o instanceof JsonObject j ? j.getMap() : null);
      }
      return new JsonObject().put("status", 200).put("body", storeAll(a, rows, "index", 0, "association"));
    }, false).onComplete(ar -> reply(ctx, ar));
  }

  private void postCsv(RoutingContext ctx) {
    String key = apiKey(ctx);
    Buffer raw = ctx.body().buffer();
    workers.executeBlocking(() -> {
      Needs.Association a = association(key);
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(raw == null ? new byte[0] : raw.getBytes())).toString();
      } catch (CharacterCodingException e) {
        throw new Invalid(400, "bad_encoding", null, "The file is not UTF-8 text. Save it as \"CSV UTF-8\" and "
            + "send it again; nothing was stored.");
      }
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
          .setIgnoreEmptyLines(true).setTrim(true).get().parse(new StringReader(text))) {
        List<String> header = parser.getHeaderNames().stream().map(h -> h.strip().toLowerCase()).toList();
        List<String> unknown = header.stream().filter(h -> !CSV_COLUMNS.contains(h)).toList();
        if (!header.contains("text") || !unknown.isEmpty() || new java.util.HashSet<>(header).size() < header.size()) {
          throw new Invalid(400, "bad_columns", null, "The first row must name the columns: text (required) and "
              + "any of " + CSV_COLUMNS.subList(1, CSV_COLUMNS.size()) + ", each once" + (unknown.isEmpty() ? ""
              : "; unknown: " + unknown) + ". Nothing was stored.");
        }
        for (CSVRecord r : parser) {
          if (rows.size() >= config.needsCsvMaxRows()) {
            throw new Invalid(413, "too_many_rows", null, "At most " + config.needsCsvMaxRows() + " rows per file; "
                + "split it and send the parts. Nothing was stored.");
          }
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 0; i < header.size() && i < r.size(); i++) {
            String v = r.get(i);
            if (!v.isEmpty()) {
              row.put(header.get(i), header.get(i).equals("people") ? peopleValue(v) : v);
            }
          }
          rows.add(row);
        }
      } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
        // commons-csv reports a broken record (e.g. a quote never closed) while iterating, unchecked;
        // its message names the line, never the content
        Throwable cause = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        throw new Invalid(400, "bad_csv", null, "The file is not valid CSV: " + cause.getMessage()
            + ". Nothing was stored.");
      }
      JsonObject result = storeAll(a, rows, "row", 2, "association");
      return new JsonObject().put("status", 200).put("body", result.put("rows", rows.size()));
    }, false).onComplete(ar -> reply(ctx, ar));
  }

  private static Object peopleValue(String v) {
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      return v; // reported as bad_people for this row
    }
  }

  /** Stores every valid item; each invalid one gets an error with its position. */
  private JsonObject storeAll(Needs.Association a, List<Map<String, Object>> rows, String position, int first,
                              String source) throws Exception {
    JsonArray errors = new JsonArray();
    JsonArray stored = new JsonArray();
    int created = 0;
    int duplicates = 0;
    for (int i = 0; i < rows.size(); i++) {
      try {
        if (rows.get(i) == null) {
          throw new Invalid(400, "bad_json", null, "Each need must be a JSON object.");
        }
        Needs.Created c = store(a, parse(new JsonObject(rows.get(i))), source);
        if (c.created()) {
          created++;
        } else {
          duplicates++;
        }
        stored.add(new JsonObject().put("code", c.need().code()).put("id", c.need().id())
            .put("duplicate", !c.created()));
      } catch (Invalid e) {
        errors.add(e.json().put(position, i + first));
      }
    }
    return new JsonObject().put("created", created).put("duplicates", duplicates).put("errors", errors)
        .put("needs", stored);
  }

  /** A validated report, before storage. */
  record Draft(String text, String topic, String language, String district, Integer people, String urgency,
               String externalId) {
  }

  Draft parse(JsonObject j) {
    Object t = j.getValue("text");
    if (!(t instanceof String text) || text.isBlank()) {
      throw new Invalid(400, "missing_text", "text", "text is required: what is needed, and for whom.");
    }
    if (text.length() > MAX_TEXT) {
      throw new Invalid(400, "too_long", "text", "text has at most " + MAX_TEXT + " characters.");
    }
    String topic = optional(j, "topic");
    if (topic != null && !Intents.TOPICS.contains(topic)) {
      throw new Invalid(400, "bad_topic", "topic", "Unknown topic '" + clip(topic) + "'; one of " + Intents.TOPICS + ".");
    }
    String language = optional(j, "language");
    if (language != null && !config.languages().contains(language)) {
      throw new Invalid(400, "bad_language", "language", "Unknown language '" + clip(language) + "'; one of "
          + config.languages() + ".");
    }
    String district = optional(j, "district");
    if (district != null && !config.districts().contains(district)) {
      throw new Invalid(400, "bad_district", "district", "Unknown district '" + clip(district) + "'; one of "
          + config.districts() + ".");
    }
    Object p = j.getValue("people");
    Integer people = null;
    if (p != null) {
      if (!(p instanceof Integer || p instanceof Long) || ((Number) p).longValue() < 1
          || ((Number) p).longValue() > 1_000_000) {
        throw new Invalid(400, "bad_people", "people", "people must be a whole number from 1 to 1000000.");
      }
      people = ((Number) p).intValue();
    }
    String urgency = optional(j, "urgency");
    if (urgency != null && !Needs.URGENCIES.contains(urgency)) {
      throw new Invalid(400, "bad_urgency", "urgency", "urgency must be one of " + Needs.URGENCIES + ".");
    }
    String external = optional(j, "external_id");
    if (external != null && !external.matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw new Invalid(400, "bad_external_id", "external_id", "external_id: 1-64 letters, digits or _.:-");
    }
    return new Draft(text.strip(), topic, language, district, people, urgency, external);
  }

  private static String optional(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new Invalid(400, "bad_" + field, field, field + " must be text.");
    }
    return s.strip();
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** Classifies what was not given (language, then topic) and stores the report. Blocking. */
  private Needs.Created store(Needs.Association a, Draft d, String source) throws Exception {
    String language = d.language();
    String topic = d.topic();
    if (language == null || topic == null) {
      Backend b = backend.get();
      if (b == null) {
        throw new Invalid(503, "starting", null, "The service is starting; send again in a few seconds, "
            + "or give both topic and language.");
      }
      if (language == null) {
        Detection det = b.nlu().detectLanguage(d.text());
        language = det.language() != null && config.languages().contains(det.language()) ? det.language()
            : config.defaultLanguage();
      }
      if (topic == null) {
        String lang = b.nlu().supports(language) ? language : config.defaultLanguage();
        topic = b.nlu().classify(lang, d.text()).stream().map(Scored::name).filter(Intents.TOPICS::contains)
            .findFirst().orElse(Intents.TOPICS.get(0));
      }
    }
    long now = System.currentTimeMillis();
    Needs.NewNeed n = new Needs.NewNeed(source, a.id(), null, d.externalId(), topic, language, d.district(),
        d.people(), d.urgency(), d.text(), Scrubber.scrub(d.text()));
    Needs.Created created = inbox.db().tx(c -> needs.create(c, n, now));
    if (created.created()) {
      vertx.eventBus().publish(CHANGED, created.need().id());
    }
    return created;
  }

  private static String apiKey(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).strip();
    }
    String header = ctx.request().getHeader("X-API-Key");
    return header != null ? header.strip() : ctx.request().getParam("api_key");
  }

  private Needs.Association association(String key) throws Exception {
    if (key == null || key.isBlank()) {
      throw new Invalid(401, "api_key_required", null, "Send your association's API key: Authorization: Bearer <key>.");
    }
    Needs.Association a = inbox.db().tx(c -> Needs.byKey(c, key));
    if (a == null) {
      throw new Invalid(401, "bad_api_key", null, "This API key is unknown or was revoked; ask the city for a new one.");
    }
    return a;
  }

  private static void reply(RoutingContext ctx, io.vertx.core.AsyncResult<JsonObject> ar) {
    if (ar.succeeded()) {
      ctx.response().setStatusCode(ar.result().getInteger("status"))
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end(ar.result().getJsonObject("body").encode());
    } else if (ar.cause() instanceof Invalid e) {
      if (ctx.response().ended()) {
        return;
      }
      ctx.response().setStatusCode(e.status).putHeader("Content-Type", "application/json; charset=utf-8")
          .end(new JsonObject().put("error", e.json()).encode());
    } else {
      Errors.internal(ctx, ar.cause());
    }
  }

  // ---- Open311 GeoReport v2

  @FunctionalInterface
  interface Open311Work {
    Object run(Needs.Association a) throws Exception;
  }

  /** Open311 answers: JSON arrays; errors as the spec's list of {code, description}. */
  private void open311(RoutingContext ctx, boolean keyRequired, Open311Work work) {
    String key = apiKey(ctx);
    workers.executeBlocking(() -> work.run(keyRequired ? association(key) : null), false).onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      HttpServerResponse r = ctx.response().putHeader("Content-Type", "application/json; charset=utf-8");
      if (ar.succeeded()) {
        r.setStatusCode(200).end(ar.result() instanceof JsonArray a ? a.encode() : ((JsonObject) ar.result()).encode());
      } else if (ar.cause() instanceof Invalid e) {
        r.setStatusCode(e.status).end(new JsonArray().add(new JsonObject().put("code", e.status)
            .put("description", e.getMessage())).encode());
      } else if (ar.cause() instanceof Console.ApiError e) {
        r.setStatusCode(e.status).end(new JsonArray().add(new JsonObject().put("code", e.status)
            .put("description", e.getMessage())).encode());
      } else {
        Errors.internal(ctx, ar.cause());
      }
    });
  }

  private JsonArray services() {
    JsonArray out = new JsonArray();
    for (String t : Intents.TOPICS) {
      out.add(new JsonObject().put("service_code", t).put("service_name", display(t))
          .put("description", "Community needs about " + display(t).toLowerCase() + ", reported by residents and "
              + "associations").put("metadata", true).put("type", "batch").put("keywords", t.replace('_', ' '))
          .put("group", "community needs"));
    }
    return out;
  }

  private JsonObject service(String code) {
    if (!Intents.TOPICS.contains(code)) {
      throw new Invalid(404, "not_found", null, "No service with code " + clip(code) + ".");
    }
    JsonArray districts = new JsonArray();
    for (String d : config.districts()) {
      districts.add(new JsonObject().put("key", d).put("name", display(d)));
    }
    JsonArray urgencies = new JsonArray();
    for (String u : Needs.URGENCIES) {
      urgencies.add(new JsonObject().put("key", u).put("name", u));
    }
    return new JsonObject().put("service_code", code).put("attributes", new JsonArray()
        .add(attribute("district", "singlevaluelist", "Part of the city", 1, districts))
        .add(attribute("people", "number", "About how many people are affected", 2, null))
        .add(attribute("urgency", "singlevaluelist", "How urgent", 3, urgencies)));
  }

  private static JsonObject attribute(String code, String type, String description, int order, JsonArray values) {
    JsonObject a = new JsonObject().put("variable", true).put("code", code).put("datatype", type)
        .put("required", false).put("datatype_description", null).put("order", order).put("description", description);
    if (values != null) {
      a.put("values", values);
    }
    return a;
  }

  private JsonArray requests(RoutingContext ctx) throws Exception {
    String ids = ctx.request().getParam("service_request_id");
    if (ids != null && !ids.isBlank()) {
      String[] wanted = ids.split(",");
      if (wanted.length > 100) {
        throw new Invalid(400, "too_many_ids", "service_request_id", "At most 100 service_request_id values at once.");
      }
      JsonArray out = new JsonArray();
      for (String id : wanted) {
        Needs.Need n = inbox.db().tx(c -> needs.findByCode(c, id.strip()));
        if (n != null) {
          out.add(open311Json(n));
        }
      }
      return out;
    }
    String code = ctx.request().getParam("service_code");
    if (code != null && !code.isBlank() && !Intents.TOPICS.contains(code)) {
      throw new Invalid(400, "bad_service_code", "service_code", "Unknown service_code " + clip(code) + ".");
    }
    long now = System.currentTimeMillis();
    long end = isoParam(ctx, "end_date", now + 1);
    long start = isoParam(ctx, "start_date", end - 90 * DAY);
    if (start > end) {
      throw new Invalid(400, "bad_dates", "start_date", "start_date must be before end_date.");
    }
    String status = ctx.request().getParam("status");
    if (status != null && !status.isBlank() && !status.equals("open") && !status.equals("closed")) {
      throw new Invalid(400, "bad_status", "status", "status must be open or closed.");
    }
    List<Needs.Need> list = inbox.db().tx(c -> needs.list(c, new Needs.Filter(code, null, null, null, start), 1000));
    JsonArray out = new JsonArray();
    for (Needs.Need n : list) {
      boolean closed = n.status().equals("resolved");
      if (n.createdAt() <= end && (status == null || status.isBlank() || status.equals(closed ? "closed" : "open"))) {
        out.add(open311Json(n));
      }
    }
    return out;
  }

  private static long isoParam(RoutingContext ctx, String name, long fallback) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(v).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new Invalid(400, "bad_date", name, name + " must be a W3C date-time such as 2026-11-24T10:00:00Z.");
      }
    }
  }

  private JsonArray request(String id) throws Exception {
    Needs.Need n = inbox.db().tx(c -> needs.findByCode(c, id));
    if (n == null) {
      throw new Invalid(404, "not_found", null, "No service request " + clip(id) + ".");
    }
    return new JsonArray().add(open311Json(n));
  }

  private JsonObject open311Json(Needs.Need n) {
    boolean closed = n.status().equals("resolved");
    return new JsonObject().put("service_request_id", n.code()).put("status", closed ? "closed" : "open")
        .put("status_notes", n.statusNote()).put("service_name", display(n.topic())).put("service_code", n.topic())
        .put("description", n.text()).put("agency_responsible", null).put("service_notice", null)
        .put("requested_datetime", iso(n.createdAt())).put("updated_datetime", iso(n.updatedAt()))
        .put("expected_datetime", null).put("address", n.district() == null ? null : display(n.district()))
        .put("address_id", n.district()).put("zipcode", null).put("lat", null).put("long", null).put("media_url", null)
        // Welcomeline extensions, prefixed so a strict client can ignore them
        .put("welcomeline_status", n.status()).put("welcomeline_language", n.language())
        .put("welcomeline_people", n.people()).put("welcomeline_urgency", n.urgency());
  }

  private JsonArray createOpen311(RoutingContext ctx, Needs.Association a) throws Exception {
    String code = ctx.request().getParam("service_code");
    if (code == null || code.isBlank()) {
      throw new Invalid(400, "missing_service_code", "service_code", "service_code is required (see services.json).");
    }
    if (!Intents.TOPICS.contains(code)) {
      throw new Invalid(400, "bad_service_code", "service_code", "Unknown service_code " + clip(code) + ".");
    }
    JsonObject j = new JsonObject().put("text", ctx.request().getParam("description")).put("topic", code)
        .put("language", ctx.request().getParam("attribute[language]"))
        .put("district", ctx.request().getParam("attribute[district]"))
        .put("urgency", ctx.request().getParam("attribute[urgency]"));
    String people = ctx.request().getParam("attribute[people]");
    if (people != null && !people.isBlank()) {
      j.put("people", peopleValue(people.strip()));
    }
    Needs.Created c = store(a, parse(j), "open311");
    return new JsonArray().add(new JsonObject().put("service_request_id", c.need().code())
        .put("service_notice", "Thank you; city staff review community needs every working day.")
        .put("account_id", null));
  }

  /** Status from a city CRM: open/closed per the spec, or the finer welcomeline_status; notifies reporters. */
  private JsonArray statusOpen311(RoutingContext ctx, Needs.Association a) throws Exception {
    String status = ctx.request().getParam("welcomeline_status");
    if (status == null || status.isBlank()) {
      String s = ctx.request().getParam("status");
      if (s == null || !(s.equals("open") || s.equals("closed"))) {
        throw new Invalid(400, "bad_status", "status", "status must be open or closed (or welcomeline_status one of "
            + Needs.STATUSES + ").");
      }
      status = s.equals("closed") ? "resolved" : "in_progress";
    }
    String code = ctx.pathParam("param0");
    Needs.Need n = inbox.db().tx(c -> needs.findByCode(c, code));
    if (n == null) {
      throw new Invalid(404, "not_found", null, "No service request " + clip(code) + ".");
    }
    JsonObject updated = updateStatus(n.id(), status, ctx.request().getParam("status_notes"),
        !"false".equals(ctx.request().getParam("notify")), "open311:" + a.name());
    return new JsonArray().add(open311Json(inbox.db().tx(c -> needs.find(c, n.id())))
        .put("welcomeline_notified", updated.getInteger("notified")));
  }

  private static String iso(long ms) {
    return Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC).toString();
  }

  static String display(String id) {
    String s = id.replace('_', ' ');
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  // ---- the officials' dashboard

  private Needs.Filter filter(RoutingContext ctx) {
    int days = 30;
    String d = ctx.request().getParam("days");
    if (d != null && !d.isBlank()) {
      try {
        days = Integer.parseInt(d);
      } catch (NumberFormatException e) {
        days = -1;
      }
      if (days < 1 || days > 3650) {
        throw new Console.ApiError(400, "bad_days", "days must be a whole number from 1 to 3650.");
      }
    }
    String topic = param(ctx, "topic");
    if (topic != null && !Intents.TOPICS.contains(topic)) {
      throw new Console.ApiError(400, "bad_topic", "Unknown topic.");
    }
    String district = param(ctx, "district");
    if (district != null && !config.districts().contains(district)) {
      throw new Console.ApiError(400, "bad_district", "Unknown district.");
    }
    String language = param(ctx, "language");
    if (language != null && !config.languages().contains(language)) {
      throw new Console.ApiError(400, "bad_language", "Unknown language.");
    }
    String status = param(ctx, "status");
    if (status != null && !Needs.STATUSES.contains(status)) {
      throw new Console.ApiError(400, "bad_status", "status must be one of " + Needs.STATUSES + ".");
    }
    long since = startOfDay(System.currentTimeMillis()) - (days - 1) * DAY;
    return new Needs.Filter(topic, district, language, status, since);
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static long startOfDay(long ms) {
    return ms - Math.floorMod(ms, DAY);
  }

  private JsonObject list(RoutingContext ctx) throws Exception {
    Needs.Filter f = filter(ctx);
    List<Needs.Need> list = inbox.db().tx(c -> needs.list(c, f, 500));
    Map<String, String> groupOf = new HashMap<>();
    JsonArray groups = NeedsAggregates.groups(list, config.needsGroupWindowDays() * DAY, groupOf);
    JsonArray out = new JsonArray();
    for (Needs.Need n : list) {
      out.add(n.json().put("group", groupOf.get(n.id())));
    }
    return new JsonObject().put("k", config.needsK()).put("needs", out).put("groups", groups);
  }

  private JsonObject stats(RoutingContext ctx) throws Exception {
    Needs.Filter f = filter(ctx);
    List<Needs.Need> list = inbox.db().tx(c -> needs.list(c, f, 1_000_000));
    return NeedsAggregates.aggregate(list, f.since(), System.currentTimeMillis(), config.needsK());
  }

  /** Messages the bot could not place, by language, with a few scrubbed examples: the city's information gaps. */
  private JsonObject unanswered(RoutingContext ctx) throws Exception {
    long since = filter(ctx).since();
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, List<String>> examples = new HashMap<>();
    for (var m : inbox.db().tx(c -> inbox.messages().notUnderstood(c, since, 5000))) {
      String lang = m.language() == null ? "unknown" : m.language();
      counts.merge(lang, 1, Integer::sum);
      List<String> ex = examples.computeIfAbsent(lang, l -> new ArrayList<>());
      if (ex.size() < 5 && m.text() != null) {
        String text = Scrubber.scrub(m.text());
        if (!ex.contains(text)) {
          ex.add(text);
        }
      }
    }
    JsonArray out = new JsonArray();
    counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> out.add(new JsonObject()
        .put("language", e.getKey()).put("count", e.getValue())
        .put("examples", new JsonArray(examples.getOrDefault(e.getKey(), List.of())))));
    return new JsonObject().put("languages", out);
  }

  private JsonObject changeStatus(StaffStore.Session s, String id, JsonObject body) throws Exception {
    String status = body.getValue("status") instanceof String v ? v : null;
    if (status == null || !Needs.STATUSES.contains(status)) {
      throw new Console.ApiError(400, "bad_status", "status must be one of " + Needs.STATUSES + ".");
    }
    String note = body.getValue("note") instanceof String v && !v.isBlank() ? v.strip() : null;
    if (note != null && note.length() > 500) {
      throw new Console.ApiError(400, "too_long", "A note has at most 500 characters.");
    }
    JsonObject result = updateStatus(id, status, note, Boolean.TRUE.equals(body.getValue("notify")), null);
    staff.audit(s.user(), "need_status", id, status + (result.getInteger("notified") > 0 ? ", reporter notified" : ""),
        System.currentTimeMillis());
    return result;
  }

  /**
   * Sets the status and, when asked, tells the resident who reported it, in their language and on
   * their channel ("you said, we did"). Returns the need plus {@code notified} (0 or 1).
   */
  private JsonObject updateStatus(String id, String status, String note, boolean notify, String by) throws Exception {
    long now = System.currentTimeMillis();
    Needs.Need n = inbox.db().tx(c -> needs.setStatus(c, id, status, note, now));
    if (n == null) {
      throw new Console.ApiError(404, "not_found", "No such report.");
    }
    vertx.eventBus().publish(CHANGED, n.id());
    int notified = 0;
    if (notify && n.contactId() != null && backend.get() != null) {
      ContactStore.Reach target = inbox.db().tx(c -> inbox.contacts().reach(c, n.contactId()));
      if (target != null && !target.optedOut()) {
        var locales = backend.get().locales();
        String lang = target.language() != null && locales.has(target.language()) ? target.language() : n.language();
        String text = locales.format(lang, "report.update", "code", n.code(), "status",
            locales.format(lang, "report.status." + status));
        Outbound.Sent delivery;
        try {
          delivery = outbound.send(target.channel(), target.address(), text, lang, "report:update",
              "need:" + n.id() + ":" + status);
        } catch (org.welcomeline.channel.SendException e) {
          // the status change stands; staff see that the reporter was not told (error code only)
          return n.json().put("notified", 0).put("notify_error", e.code() == null ? e.kind().name().toLowerCase()
              : e.code()).put("updated_by", by);
        }
        inbox.db().tx(c -> inbox.messages().storeSent(c, target.channel(), target.addressHash(), n.contactId(), null,
            text, lang, "report:update", delivery.status(), delivery.providerId(), now));
        notified = 1;
      }
    }
    return n.json().put("notified", notified).put("updated_by", by);
  }

  private JsonObject register(StaffStore.Session s, JsonObject body) throws Exception {
    String name = body.getValue("name") instanceof String v ? v.strip() : "";
    if (name.isEmpty() || name.length() > 120) {
      throw new Console.ApiError(400, "bad_name", "Give the association's name (1-120 characters).");
    }
    long now = System.currentTimeMillis();
    Needs.Registered r = inbox.db().tx(c -> Needs.createAssociation(c, name, s.user().username(), now));
    staff.audit(s.user(), "association_add", r.association().id(), name, now);
    return r.association().json().put("key", r.key());
  }

  // ---- exports and live updates (not JSON-over-guarded: a file and a stream)

  private StaffStore.Session session(RoutingContext ctx) {
    return ctx.get("session");
  }

  private void export(RoutingContext ctx) {
    String format = ctx.request().getParam("format", "csv");
    if (!format.equals("csv") && !format.equals("json")) {
      Errors.send(ctx, 400, "bad_format", "format must be csv or json.");
      return;
    }
    StaffStore.Session s = session(ctx);
    workers.executeBlocking(() -> {
      Needs.Filter f = filter(ctx);
      List<Needs.Need> list = inbox.db().tx(c -> needs.list(c, f, 1_000_000));
      staff.audit(s.user(), "needs_export", null, format + ", " + list.size() + " rows", System.currentTimeMillis());
      if (format.equals("json")) {
        return new JsonObject().put("needs", new JsonArray(list.stream().map(Needs.Need::json).toList())).encode();
      }
      StringWriter w = new StringWriter();
      try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
        p.printRecord("code", "created_at", "source", "association", "topic", "language", "district", "people",
            "urgency", "status", "text");
        for (Needs.Need n : list) {
          p.printRecord(n.code(), iso(n.createdAt()), n.source(), NeedsAggregates.cell(n.association()), n.topic(), n.language(),
              n.district(), n.people(), n.urgency(), n.status(), NeedsAggregates.cell(n.text()));
        }
      }
      return w.toString();
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof Console.ApiError e) {
          Errors.send(ctx, e.status, e.code, e.getMessage());
        } else {
          Errors.internal(ctx, ar.cause());
        }
        return;
      }
      String day = LocalDate.now(ZoneOffset.UTC).toString();
      ctx.response().putHeader("Content-Type", format.equals("csv") ? "text/csv; charset=utf-8"
              : "application/json; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"needs-" + day + "." + format + "\"")
          .putHeader("Cache-Control", "no-store").end(ar.result());
    });
  }

  private void events(RoutingContext ctx) {
    // identity: a compressed stream would be held back by the compressor
    HttpServerResponse r = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
        .putHeader("Content-Encoding", "identity")
        .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
    r.write(": connected\n\n");
    MessageConsumer<String> consumer = vertx.eventBus().consumer(CHANGED, msg -> workers.executeBlocking(
        () -> inbox.db().tx(c -> needs.find(c, msg.body())), false).onSuccess(n -> {
          if (n != null && !r.closed()) {
            r.write("event: need\ndata: " + n.json().encode() + "\n\n");
          }
        }));
    long ping = vertx.setPeriodic(25_000, t -> {
      if (!r.closed()) {
        r.write(": ping\n\n");
      }
    });
    streams.add(r);
    r.closeHandler(v -> {
      streams.remove(r);
      consumer.unregister();
      vertx.cancelTimer(ping);
    });
  }

  /** Shutting down: live-update streams end (the browser's EventSource reconnects, to another instance). */
  public void closeStreams() {
    for (HttpServerResponse r : streams) {
      if (!r.closed() && !r.ended()) {
        r.end("event: bye\ndata: {}\n\n");
      }
    }
  }
}

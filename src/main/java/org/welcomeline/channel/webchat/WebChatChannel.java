package org.welcomeline.channel.webchat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.welcomeline.Backend;
import org.welcomeline.dialogue.ConversationService;
import org.welcomeline.dialogue.RateLimiter;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.model.Reply;

/**
 * {@code WS /channels/webchat}: JSON frames {@code {"type":"message","text":..,"id":..}} in,
 * {@code {"type":"reply",..}} out. A session id (from the client, so a reconnect continues the
 * conversation) names the resident; a client message id makes resends after a reconnect idempotent.
 * Frames of one socket are processed in order; at most {@code maxPending} wait, more are refused
 * with an error frame (never an unbounded queue).
 */
public final class WebChatChannel {
  public static final String CHANNEL = "webchat";
  private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9-]{16,64}");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final Set<String> RTL = Set.of("ar", "fa", "prs", "ps", "ur", "he");

  private final Supplier<Backend> backend;
  private final WorkerExecutor workers;
  private final int maxPending;
  private final int maxTextChars;
  private final int connectionsPerIp;
  private final RateLimiter perIp;
  private final java.util.Map<String, Integer> open = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<ServerWebSocket> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Limits per client address: open sockets, and message frames per minute. */
  public record Limits(int maxPending, int maxTextChars, int connectionsPerIp, int messagesPerMinute) {
  }

  private final io.vertx.core.Vertx vertx;

  /** The event-bus address where frames for one web-chat session are published (staff replies). */
  public static String address(String session) {
    return "welcomeline.webchat." + session;
  }

  public WebChatChannel(io.vertx.core.Vertx vertx, Supplier<Backend> backend, WorkerExecutor workers, Limits limits) {
    this.vertx = vertx;
    this.backend = backend;
    this.workers = workers;
    this.maxPending = limits.maxPending();
    this.maxTextChars = limits.maxTextChars();
    this.connectionsPerIp = limits.connectionsPerIp();
    this.perIp = new RateLimiter(limits.messagesPerMinute());
  }

  /** The frame of a message sent to a resident outside a reply (staff answer, broadcast). */
  public static JsonObject replyFrame(String text, String language, String intent) {
    return new JsonObject().put("type", "reply").put("text", text).put("language", language).put("intent", intent)
        .put("dir", rtl(language) ? "rtl" : "ltr");
  }

  /**
   * Shutting down: every open chat gets {@code {"type":"reconnect"}} with a short, spread-out delay and
   * a 1012 (service restart) close, so pages reconnect to another instance without losing anything
   * (the session id keeps the conversation; unsent messages are resent by id).
   */
  public void closeAll() {
    for (ServerWebSocket ws : sockets) {
      if (!ws.isClosed()) {
        ws.writeTextMessage(new JsonObject().put("type", "reconnect")
            .put("after_ms", 500 + java.util.concurrent.ThreadLocalRandom.current().nextInt(2000)).encode());
        ws.close((short) 1012, "restarting");
      }
    }
  }

  public static boolean rtl(String language) {
    return language != null && RTL.contains(language);
  }

  /** Accepts a socket from {@code clientIp} (the peer, or the proxy's X-Forwarded-For when trusted). */
  public void handle(ServerWebSocket ws, String clientIp) {
    int n = open.merge(clientIp, 1, Integer::sum);
    if (n > connectionsPerIp) {
      ws.closeHandler(v -> open.computeIfPresent(clientIp, (k, c) -> c <= 1 ? null : c - 1));
      ws.writeTextMessage(new JsonObject().put("type", "error").put("code", "too_many_connections")
          .put("message", "Too many open chats from your network; close one and try again.").encode());
      ws.close((short) 1008, "too many connections");
      return;
    }
    String requested = queryParam(ws.query(), "session");
    String session = requested != null && SESSION.matcher(requested).matches() ? requested : UUID.randomUUID().toString();
    Connection connection = new Connection(ws, session, clientIp);
    // frames for this session from anywhere (a staff reply, a broadcast) reach this socket
    io.vertx.core.eventbus.MessageConsumer<JsonObject> consumer = vertx.eventBus()
        .consumer(address(session), msg -> {
          if (ws.isClosed()) {
            msg.fail(410, "closed"); // the sender keeps it for the next visit
          } else {
            connection.send(msg.body());
            msg.reply(true);
          }
        });
    sockets.add(ws);
    ws.closeHandler(v -> {
      sockets.remove(ws);
      open.computeIfPresent(clientIp, (k, c) -> c <= 1 ? null : c - 1);
      consumer.unregister();
    });
    boolean resumed = requested != null && requested.equals(session);
    connection.start(!resumed);
    if (resumed) {
      connection.deliverWaiting();
    }
  }

  private final class Connection {
    private final ServerWebSocket ws;
    private final String session;
    private final String clientIp;
    private Future<Void> tail = Future.succeededFuture();
    private int pending;

    Connection(ServerWebSocket ws, String session, String clientIp) {
      this.ws = ws;
      this.session = session;
      this.clientIp = clientIp;
    }

    void start(boolean announceSession) {
      ws.textMessageHandler(this::onText);
      ws.binaryMessageHandler(b -> error(null, "binary_not_supported", "Send JSON text frames."));
      ws.exceptionHandler(t -> { });
      if (announceSession) {
        send(new JsonObject().put("type", "session").put("session", session));
      }
    }

    /** What staff or a broadcast sent while this resident had no chat open, oldest first. */
    void deliverWaiting() {
      Backend b = backend.get();
      if (b == null) {
        return; // still starting: the next visit shows them
      }
      workers.<java.util.List<Reply>>executeBlocking(() -> b.conversations().takeWaiting("webchat:" + session))
          .onSuccess(list -> list.forEach(r -> send(replyFrame(r.text(), r.language(), r.intent()))))
          .onFailure(t -> { }); // they stay waiting; logged by the store
    }

    private void onText(String frame) {
      RateLimiter.Decision d = perIp.check(clientIp, System.currentTimeMillis());
      if (d != RateLimiter.Decision.ALLOW) {
        if (d == RateLimiter.Decision.REFUSE_WITH_NOTICE) {
          error(null, "rate_limited", "You are sending many messages. Please wait a minute and try again.");
        }
        return;
      }
      JsonObject json;
      try {
        json = new JsonObject(frame);
      } catch (DecodeException | ClassCastException e) {
        error(null, "bad_json", "Frames must be JSON objects.");
        return;
      }
      String type = json.getValue("type") instanceof String s ? s : "";
      Object rawId = json.getValue("id");
      String id = rawId instanceof String s && CLIENT_ID.matcher(s).matches() ? s : null;
      if (rawId != null && id == null) {
        error(null, "bad_id", "id must be 1-64 letters, digits or _.:-");
        return;
      }
      switch (type) {
        case "ping" -> send(new JsonObject().put("type", "pong"));
        case "message" -> {
          Object text = json.getValue("text");
          if (!(text instanceof String t)) {
            error(id, "bad_text", "text must be a string.");
            return;
          }
          if (t.length() > maxTextChars) {
            error(id, "too_long", "text is longer than " + maxTextChars + " characters.");
            return;
          }
          enqueue(id, t, language(json.getValue("language")));
        }
        case "language" -> {
          String code = language(json.getValue("code"));
          if (code == null) {
            error(id, "bad_language", "code must be a configured language code.");
            return;
          }
          enqueue(id, "", code);
        }
        default -> error(id, "unknown_type", "Unknown frame type; use message, language or ping.");
      }
    }

    private String language(Object value) {
      Backend b = backend.get();
      if (value instanceof String s && b != null && b.nlu().languages().contains(s)) {
        return s;
      }
      return null;
    }

    private void enqueue(String id, String text, String language) {
      Backend b = backend.get();
      if (b == null) {
        error(id, "not_ready", "The service is starting; try again in a few seconds.");
        return;
      }
      if (pending >= maxPending) {
        error(id, "too_many", "Too many messages at once; wait for the answers.");
        return;
      }
      pending++;
      String providerId = id == null ? null : "webchat:" + session + ":" + id;
      InboundMessage m = new InboundMessage(CHANNEL, "webchat:" + session, text, providerId, language,
          System.currentTimeMillis());
      tail = tail.transform(ignored -> process(b.conversations(), m, id)).onComplete(x -> pending--);
    }

    private Future<Void> process(ConversationService service, InboundMessage m, String id) {
      Promise<Void> done = Promise.promise();
      workers.executeBlocking(() -> service.handle(m), false).onComplete(ar -> {
        if (ar.succeeded()) {
          Reply r = ar.result().reply();
          if (r.silent()) {
            send(new JsonObject().put("type", "ack").put("id", id)); // stored; a person answers (handoff)
          } else {
            send(new JsonObject().put("type", "reply").put("id", id).put("text", r.text())
                .put("language", r.language()).put("intent", r.intent())
                .put("dir", rtl(r.language()) ? "rtl" : "ltr")
                .put("options", new JsonArray(r.options())));
          }
        } else if (ar.cause() instanceof ConversationService.InFlightException) {
          error(id, "in_flight", "This message is still being answered.");
        } else {
          error(id, "internal", "Something went wrong; your message is saved. Please try again.");
        }
        done.complete();
      });
      return done.future();
    }

    private void error(String id, String code, String message) {
      send(new JsonObject().put("type", "error").put("id", id).put("code", code).put("message", message));
    }

    private void send(JsonObject frame) {
      if (!ws.isClosed()) {
        ws.writeTextMessage(frame.encode());
      }
    }
  }

  static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).equals(name)) {
        return part.substring(eq + 1);
      }
    }
    return null;
  }

}

package org.welcomeline.channel.twilio;

import com.twilio.security.RequestValidator;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.welcomeline.Backend;
import org.welcomeline.dialogue.ConversationService;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.model.Reply;
import org.welcomeline.store.Inbox;
import org.welcomeline.web.Errors;

/**
 * Twilio's webhooks: {@code POST /channels/twilio/sms} (SMS and WhatsApp, answered with TwiML built
 * by the SDK) and {@code POST /channels/twilio/status} (delivery status). With an auth token
 * configured, {@code X-Twilio-Signature} is checked with the SDK's {@link RequestValidator} against
 * the public URL; a missing or wrong signature gets 403 and nothing is processed.
 */
public final class TwilioWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
  /** Twilio's webhook bodies are a few KB; anything much larger is refused before it is read. */
  static final int MAX_BODY = 32 * 1024;
  static final Set<String> STATUSES = Set.of("accepted", "scheduled", "canceled", "queued", "sending", "sent",
      "failed", "delivered", "undelivered", "receiving", "received", "read", "partially_delivered");

  private final RequestValidator validator;
  private final String publicUrl;
  private final Inbox inbox;
  private final Supplier<Backend> backend;
  private final WorkerExecutor workers;

  public TwilioWebhooks(String authToken, String publicUrl, Inbox inbox, Supplier<Backend> backend,
                        WorkerExecutor workers) {
    this.validator = authToken == null || authToken.isEmpty() ? null : new RequestValidator(authToken);
    this.publicUrl = publicUrl;
    this.inbox = inbox;
    this.backend = backend;
    this.workers = workers;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create().setBodyLimit(MAX_BODY).setHandleFileUploads(false);
    router.post("/channels/twilio/sms").handler(body).handler(this::requireForm).handler(this::inbound)
        .failureHandler(this::failure);
    router.post("/channels/twilio/status").handler(body).handler(this::requireForm).handler(this::status)
        .failureHandler(this::failure);
  }

  /** Undecodable bodies (bad percent-encoding) are the client's fault: 400, not 500. */
  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (ctx.statusCode() == 413) {
      Errors.send(ctx, 413, "too_large", "Request body too large.");
    } else if (t instanceof io.netty.handler.codec.DecoderException || t instanceof IllegalArgumentException
        || (t != null && t.getClass().getName().contains("ErrorDataDecoderException"))) {
      Errors.send(ctx, 400, "bad_encoding", "The form body could not be decoded.");
    } else {
      ctx.next();
    }
  }

  private void requireForm(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      Errors.send(ctx, 415, "unsupported_media_type", "Twilio webhooks are application/x-www-form-urlencoded.");
      return;
    }
    ctx.next();
  }

  /** True if no token is configured, or the signature matches. */
  boolean signed(RoutingContext ctx, MultiMap form) {
    if (validator == null) {
      return true;
    }
    String signature = ctx.request().getHeader("X-Twilio-Signature");
    if (signature == null || signature.isBlank()) {
      return false;
    }
    Map<String, String> params = new HashMap<>();
    for (String name : form.names()) {
      if (form.getAll(name).size() != 1) {
        return false; // Twilio never repeats a parameter; a repeated one is not Twilio's request
      }
      params.put(name, form.get(name));
    }
    return validator.validate(url(ctx), params, signature);
  }

  /** The URL Twilio called: the configured public URL (behind a proxy), else what the request says. */
  String url(RoutingContext ctx) {
    String base = publicUrl;
    if (base == null || base.isEmpty()) {
      String proto = ctx.request().getHeader("X-Forwarded-Proto");
      String host = ctx.request().getHeader("X-Forwarded-Host");
      base = (proto != null ? proto : ctx.request().scheme()) + "://"
          + (host != null ? host : ctx.request().authority().toString());
    }
    return base + ctx.request().uri();
  }

  private void inbound(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    if (!signed(ctx, form)) {
      LOG.warn("refused an unsigned or mis-signed SMS webhook");
      ctx.response().setStatusCode(403).end("Forbidden: invalid X-Twilio-Signature");
      return;
    }
    String from = form.get("From");
    String sid = form.get("MessageSid") != null ? form.get("MessageSid") : form.get("SmsSid");
    if (from == null || from.isBlank()) {
      Errors.send(ctx, 400, "missing_from", "From is required.");
      return;
    }
    if (sid == null || sid.isBlank() || sid.length() > 64) {
      Errors.send(ctx, 400, "missing_sid", "MessageSid is required.");
      return;
    }
    int media;
    try {
      media = form.get("NumMedia") == null ? 0 : Math.max(0, Integer.parseInt(form.get("NumMedia").strip()));
    } catch (NumberFormatException e) {
      media = 0;
    }
    String channel = from.startsWith("whatsapp:") ? "whatsapp" : "sms";
    InboundMessage m = new InboundMessage(channel, from.strip(), form.get("Body"), "twilio:" + sid.strip(), null, media,
        System.currentTimeMillis());
    Backend b = backend.get();
    if (b == null) {
      // starting up: keep the message; the recovery job answers it once the models are ready
      workers.executeBlocking(() -> inbox.store(m), false)
          .onSuccess(r -> twiml(ctx, null))
          .onFailure(t -> Errors.internal(ctx, t));
      return;
    }
    workers.executeBlocking(() -> b.conversations().handle(m), false)
        .onSuccess(h -> twiml(ctx, h.reply()))
        .onFailure(t -> {
          if (t instanceof ConversationService.InFlightException
              || t instanceof ConversationService.ProcessingFailedException) {
            twiml(ctx, null); // stored: answered by the recovery job, or by the request already processing it
          } else {
            Errors.internal(ctx, t); // not stored: let Twilio retry or use its fallback URL
          }
        });
  }

  private void status(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    if (!signed(ctx, form)) {
      ctx.response().setStatusCode(403).end("Forbidden: invalid X-Twilio-Signature");
      return;
    }
    String sid = form.get("MessageSid");
    String status = form.get("MessageStatus");
    if (sid == null || sid.isBlank() || status == null || !STATUSES.contains(status)) {
      Errors.send(ctx, 400, "bad_status", "MessageSid and a known MessageStatus are required.");
      return;
    }
    String error = form.get("ErrorCode");
    workers.executeBlocking(() -> inbox.db().tx(c -> inbox.messages().updateStatus(c, "twilio:" + sid, status,
            error == null || error.isBlank() ? null : error)), false)
        .onSuccess(found -> ctx.response().setStatusCode(found ? 200 : 200).end())
        .onFailure(t -> Errors.internal(ctx, t));
  }

  static String twimlXml(Reply reply) {
    MessagingResponse.Builder b = new MessagingResponse.Builder();
    if (reply != null && !reply.silent() && !reply.text().isEmpty()) {
      b.message(new Message.Builder().body(new Body.Builder(reply.text()).build()).build());
    }
    return b.build().toXml();
  }

  private static void twiml(RoutingContext ctx, Reply reply) {
    ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8").end(twimlXml(reply));
  }
}

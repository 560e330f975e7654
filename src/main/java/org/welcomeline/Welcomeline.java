package org.welcomeline;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.welcomeline.channel.Recovery;
import org.welcomeline.channel.Retry;
import org.welcomeline.channel.Sender;
import org.welcomeline.channel.outbox.OutboxSender;
import org.welcomeline.channel.twilio.TwilioSender;
import org.welcomeline.channel.twilio.TwilioWebhooks;
import org.welcomeline.config.Config;
import org.welcomeline.content.ContentCatalog;
import org.welcomeline.content.Locales;
import org.welcomeline.dialogue.Commands;
import org.welcomeline.dialogue.ConversationService;
import org.welcomeline.dialogue.Dialogue;
import org.welcomeline.dialogue.RateLimiter;
import org.welcomeline.nlu.Nlu;
import org.welcomeline.nlu.TrainingData;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;
import org.welcomeline.store.Inbox;
import org.welcomeline.store.Retention;
import org.welcomeline.web.HttpVerticle;

/**
 * The running application: database and HTTP first (so health checks answer), then models trained
 * on a worker; {@link #ready()} completes when messages can be answered. Tests start exactly this.
 */
public final class Welcomeline {
  private static final Logger LOG = LoggerFactory.getLogger(Welcomeline.class);
  static final long RECOVERY_PERIOD_MS = 30_000;
  static final long RETENTION_PERIOD_MS = 3_600_000;

  private final Vertx vertx;
  private final Config config;
  private final Database db;
  private final WorkerExecutor workers;
  private final HttpVerticle http;
  private final String deploymentId;
  private final Promise<Backend> ready;
  private final java.util.concurrent.atomic.AtomicLong timer;
  private final java.util.concurrent.atomic.AtomicLong retentionTimer;
  private final java.util.concurrent.atomic.AtomicLong dispatchTimer;

  private Welcomeline(Vertx vertx, Config config, Database db, WorkerExecutor workers, HttpVerticle http,
                      String deploymentId, Promise<Backend> ready, java.util.concurrent.atomic.AtomicLong timer,
                      java.util.concurrent.atomic.AtomicLong retentionTimer,
                      java.util.concurrent.atomic.AtomicLong dispatchTimer) {
    this.dispatchTimer = dispatchTimer;
    this.timer = timer;
    this.retentionTimer = retentionTimer;
    this.vertx = vertx;
    this.config = config;
    this.db = db;
    this.workers = workers;
    this.http = http;
    this.deploymentId = deploymentId;
    this.ready = ready;
  }

  public static Future<Welcomeline> start(Vertx vertx, Config config, PrometheusMeterRegistry registry) {
    long t0 = System.nanoTime();
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("welcomeline-worker", 16);
    AtomicReference<Backend> backend = new AtomicReference<>();
    Promise<Backend> ready = Promise.promise();
    java.util.concurrent.atomic.AtomicLong timer = new java.util.concurrent.atomic.AtomicLong(-1);
    java.util.concurrent.atomic.AtomicLong retentionTimer = new java.util.concurrent.atomic.AtomicLong(-1);
    java.util.concurrent.atomic.AtomicLong dispatchTimer = new java.util.concurrent.atomic.AtomicLong(-1);
    return workers.executeBlocking(() -> {
      Crypto crypto = Crypto.fromConfig(config.secretKey(), config.dataDir(), config.secretKeyPrevious());
      Database db = Database.open(config);
      return new Object[] {crypto, db};
    }, false).compose(parts -> {
      Crypto crypto = (Crypto) parts[0];
      Database db = (Database) parts[1];
      Inbox inbox = new Inbox(db, crypto);
      TwilioWebhooks twilio = new TwilioWebhooks(config.twilioAuthToken(), config.publicUrl(), inbox, backend::get,
          workers);
      org.welcomeline.web.Console console = new org.welcomeline.web.Console(vertx, workers,
          new org.welcomeline.store.StaffStore(db), inbox, sender(config, inbox), backend::get, false, config);
      org.welcomeline.web.NeedsApi needsApi = new org.welcomeline.web.NeedsApi(vertx, workers, inbox, config,
          new org.welcomeline.channel.Outbound(vertx, sender(config, inbox)), backend::get,
          new org.welcomeline.store.StaffStore(db), console);
      HttpVerticle http = new HttpVerticle(config, backend::get, db::ping, registry, workers, twilio, console,
          needsApi);
      return vertx.deployVerticle(http).map(id -> {
        LOG.info("listening on port {} ({} database); training models for {}", http.port(),
            db.postgres() ? "PostgreSQL" : "SQLite", config.languages());
        workers.executeBlocking(() -> build(config, inbox, registry,
            need -> vertx.eventBus().publish(org.welcomeline.web.NeedsApi.CHANGED, need)), false).onComplete(ar -> {
          if (ar.succeeded()) {
            backend.set(ar.result());
            LOG.info("ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
            Recovery recovery = ar.result().recovery();
            // answer what arrived while training, then sweep for messages left unprocessed
            long readyAt = System.currentTimeMillis();
            workers.executeBlocking(() -> recovery.run(readyAt), false)
                .onComplete(x -> ready.complete(ar.result()));
            timer.set(vertx.setPeriodic(RECOVERY_PERIOD_MS, RECOVERY_PERIOD_MS, t -> workers.executeBlocking(
                () -> recovery.run(System.currentTimeMillis() - RECOVERY_PERIOD_MS), false)));
            // broadcasts: paced sends, emergencies first
            org.welcomeline.channel.Dispatcher dispatcher = new org.welcomeline.channel.Dispatcher(inbox,
                new org.welcomeline.channel.Outbound(vertx, sender(config, inbox)),
                new org.welcomeline.store.Broadcasts(db),
                lang -> ar.result().locales().format(lang, "broadcast.footer"), config.broadcastRetryBaseMs());
            // token bucket: each run may send what the configured rate allows for the time since the last
            // run (late or skipped ticks are made up, up to one second's worth)
            int rate = config.broadcastRatePerSecond();
            java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
            double[] bucket = {0};
            long[] last = {System.nanoTime()};
            workers.executeBlocking(dispatcher::recoverInterrupted, false).onComplete(x ->
                dispatchTimer.set(vertx.setPeriodic(50, t -> {
                  if (busy.compareAndSet(false, true)) {
                    long now = System.nanoTime();
                    bucket[0] = Math.min(rate, bucket[0] + rate * (now - last[0]) / 1e9);
                    last[0] = now;
                    int n = (int) bucket[0];
                    if (n == 0) {
                      busy.set(false);
                      return;
                    }
                    workers.executeBlocking(() -> dispatcher.dispatch(n), false).onComplete(r -> {
                      bucket[0] -= r.succeeded() ? Math.min(n, r.result()) : n;
                      busy.set(false);
                    });
                  }
                })));
            // re-encrypt and re-hash what an older key wrote (after a rotation), in the background
            org.welcomeline.store.KeyRotation rotation = new org.welcomeline.store.KeyRotation(db, inbox.crypto());
            workers.executeBlocking(() -> rotation.runAll(500), false)
                .onSuccess(n -> {
                  if (n > 0) {
                    LOG.info("key rotation: re-keyed {} rows", n);
                  }
                })
                .onFailure(t -> LOG.error("key rotation failed: {}", t.getMessage()));
            Retention retention = new Retention(db, config.retentionMessageDays(), config.retentionOutboxDays(),
                config.retentionReportDays());
            retentionTimer.set(vertx.setPeriodic(1_000, RETENTION_PERIOD_MS, t -> workers.executeBlocking(
                () -> retention.run(System.currentTimeMillis()), false)
                .onSuccess(r -> LOG.info("retention: removed {} message texts, {} outbox entries, {} report originals",
                    r.messageBodies(), r.outboxEntries(), r.reportTexts()))));
          } else {
            LOG.error("cannot start: {}", ar.cause().getMessage());
            ready.fail(ar.cause());
          }
        });
        return new Welcomeline(vertx, config, db, workers, http, id, ready, timer, retentionTimer, dispatchTimer);
      }).onFailure(t -> db.close());
    });
  }

  static Backend build(Config config, Inbox inbox, PrometheusMeterRegistry registry,
                       java.util.function.Consumer<String> needChanged) throws Exception {
    List<String> languages = config.languages();
    Locales locales = Locales.load(config.localesDir(), languages, config.defaultLanguage());
    ContentCatalog content = ContentCatalog.load(config.contentDir(), languages);
    List<TrainingData> data = new ArrayList<>();
    Map<String, List<String>> extra = new HashMap<>();
    for (String lang : languages) {
      var file = config.contentDir().resolve(lang).resolve("nlu.yml");
      if (Files.isRegularFile(file)) {
        data.add(TrainingData.read(lang, file));
      } else {
        LOG.warn("language {} has no {}: intents fall back to {}", lang, file, config.defaultLanguage());
      }
      if (!locales.has(lang)) {
        LOG.warn("language {} has no locale strings: system messages fall back to {}", lang, config.defaultLanguage());
      }
      if (!content.has(lang)) {
        LOG.warn("language {} has no services.yaml: answers fall back to {} with a notice", lang, config.defaultLanguage());
      }
      extra.put(lang, new ArrayList<>(locales.all(lang).values()));
    }
    Nlu nlu = Nlu.train(languages, data, extra, config.linguaHighAccuracy());
    Dialogue dialogue = new Dialogue(nlu, content, locales, new Commands(locales, languages),
        new Dialogue.Settings(config.defaultLanguage(), config.intentThreshold(), config.languageThreshold(),
            config.emergencyNumber(), config.maxTextChars(), config.smsSegmentBudget(), config.smsPlainPunctuation(),
            config.retentionMessageDays(), config.discreetEmergency(), config.districts()));
    ConversationService service = new ConversationService(inbox, dialogue, locales,
        new RateLimiter(config.smsRatePerMinute()), registry, config.retentionMessageDays(), needChanged);
    Recovery recovery = new Recovery(inbox, service, sender(config, inbox), Retry.Policy.DEFAULT, Thread::sleep);
    return new Backend(nlu, locales, service, recovery);
  }

  /** Twilio's REST API when credentials are configured, else the local outbox. */
  public static Sender sender(Config config, Inbox inbox) {
    if (config.twilioSending()) {
      String callback = config.publicUrl().isEmpty() ? null : config.publicUrl() + "/channels/twilio/status";
      return new TwilioSender(config.twilioAccountSid(), config.twilioAuthToken(), config.twilioFrom(),
          config.twilioApiBaseUrl(), callback);
    }
    return new OutboxSender(inbox.db(), inbox.crypto());
  }

  /** Completes when models are trained and messages can be answered. */
  public Future<Backend> ready() {
    return ready.future();
  }

  public int port() {
    return http.port();
  }

  public Database database() {
    return db;
  }

  public Config config() {
    return config;
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer.get());
    vertx.cancelTimer(retentionTimer.get());
    vertx.cancelTimer(dispatchTimer.get());
    return vertx.undeploy(deploymentId).eventually(() -> workers.executeBlocking(() -> {
      db.close();
      return null;
    }, false)).mapEmpty();
  }
}

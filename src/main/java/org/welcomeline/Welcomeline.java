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
  private final List<java.util.concurrent.atomic.AtomicLong> timers;
  private final java.util.concurrent.atomic.AtomicBoolean draining;
  private final java.util.concurrent.atomic.AtomicBoolean dispatching;
  private final org.welcomeline.store.Coordination coordination;

  private Welcomeline(Vertx vertx, Config config, Database db, WorkerExecutor workers, HttpVerticle http,
                      String deploymentId, Promise<Backend> ready, List<java.util.concurrent.atomic.AtomicLong> timers,
                      java.util.concurrent.atomic.AtomicBoolean draining,
                      java.util.concurrent.atomic.AtomicBoolean dispatching,
                      org.welcomeline.store.Coordination coordination) {
    this.timers = timers;
    this.draining = draining;
    this.dispatching = dispatching;
    this.coordination = coordination;
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
    java.util.concurrent.atomic.AtomicLong leaseTimer = new java.util.concurrent.atomic.AtomicLong(-1);
    java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean dispatching = new java.util.concurrent.atomic.AtomicBoolean();
    return workers.executeBlocking(() -> {
      Crypto crypto = Crypto.fromConfig(config.secretKey(), config.dataDir(), config.secretKeyPrevious());
      Database db = Database.open(config);
      return new Object[] {crypto, db};
    }, false).compose(parts -> {
      Crypto crypto = (Crypto) parts[0];
      Database db = (Database) parts[1];
      Inbox inbox = new Inbox(db, crypto);
      // a stable name: an instance restarted after a crash takes its own leases back at once
      org.welcomeline.store.Coordination coordination = new org.welcomeline.store.Coordination(db,
          config.clusterHost() + ":" + config.httpPort());
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
            // run (late or skipped ticks are made up, up to one second's worth). In a cluster the bucket
            // lives in the database, so the rate holds for all instances together.
            int rate = config.broadcastRatePerSecond();
            java.util.concurrent.atomic.AtomicBoolean busy = dispatching;
            double[] bucket = {0};
            long[] last = {System.nanoTime()};
            int perTick = Math.max(1, rate / 10);
            Future<Integer> recovered = config.cluster() ? Future.succeededFuture(0)
                : workers.executeBlocking(dispatcher::recoverInterrupted, false);
            recovered.onComplete(x ->
                dispatchTimer.set(vertx.setPeriodic(50, t -> {
                  if (draining.get() || !busy.compareAndSet(false, true)) {
                    return;
                  }
                  if (config.cluster()) {
                    workers.executeBlocking(() -> {
                      int n = coordination.take("broadcast", perTick, rate, System.currentTimeMillis());
                      int sent = n == 0 ? 0 : dispatcher.dispatch(n);
                      coordination.giveBack("broadcast", n - sent);
                      return sent;
                    }, false).onComplete(r -> busy.set(false));
                    return;
                  }
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
                })));
            // once per cluster (the lease holder): re-keying, retention, and re-queueing deliveries whose
            // instance died mid-send (older than the lease: a live instance finishes a send in seconds)
            org.welcomeline.store.KeyRotation rotation = new org.welcomeline.store.KeyRotation(db, inbox.crypto());
            workers.executeBlocking(() -> coordination.lease("key-rotation", 600_000, System.currentTimeMillis())
                    ? rotation.runAll(500) : 0, false)
                .onSuccess(n -> {
                  if (n > 0) {
                    LOG.info("key rotation: re-keyed {} rows", n);
                  }
                })
                .onFailure(t -> LOG.error("key rotation failed: {}", t.getMessage()));
            Retention retention = new Retention(db, config.retentionMessageDays(), config.retentionOutboxDays(),
                config.retentionReportDays());
            retentionTimer.set(vertx.setPeriodic(1_000, RETENTION_PERIOD_MS, t -> workers.executeBlocking(
                () -> coordination.lease("retention", RETENTION_PERIOD_MS / 2, System.currentTimeMillis())
                    ? retention.run(System.currentTimeMillis()) : null, false)
                .onSuccess(r -> {
                  if (r != null) {
                    LOG.info("retention: removed {} message texts, {} outbox entries, {} report originals",
                        r.messageBodies(), r.outboxEntries(), r.reportTexts());
                  }
                })));
            if (config.cluster()) {
              long lease = config.deliveryLeaseMs();
              leaseTimer.set(vertx.setPeriodic(lease / 4, lease / 4, t -> workers.executeBlocking(() -> {
                long now = System.currentTimeMillis();
                return coordination.lease("delivery-recovery", lease, now)
                    ? dispatcher.recoverInterrupted(now - lease) : 0;
              }, false).onSuccess(n -> {
                if (n > 0) {
                  LOG.info("re-queued {} deliveries an instance left mid-send", n);
                }
              })));
            }
          } else {
            LOG.error("cannot start: {}", ar.cause().getMessage());
            ready.fail(ar.cause());
          }
        });
        return new Welcomeline(vertx, config, db, workers, http, id, ready,
            List.of(timer, retentionTimer, dispatchTimer, leaseTimer), draining, dispatching, coordination);
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
    // intent models are cached under the data dir, keyed by a hash of what training sees: a restart
    // loads them instead of training again (a changed or broken file is retrained)
    Nlu nlu = Nlu.train(languages, data, extra, config.linguaHighAccuracy(),
        config.dataDir().resolve("cache").resolve("nlu"));
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

  /**
   * Graceful stop (SIGTERM): readiness flips to 503 at once so the balancer stops sending; web-chat
   * sockets get a reconnect hint and close; the HTTP server stops accepting and lets in-flight
   * requests finish; the dispatcher finishes the sends it has started (no new ones); leases are
   * given up so another instance takes the jobs at once; then the database is closed. The caller
   * closes Vert.x (which leaves the cluster). Bounded by {@code drain_timeout_ms}.
   */
  public Future<Void> drain() {
    if (!draining.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    LOG.info("draining: not ready any more, finishing what is in flight");
    http.draining(true);
    long deadline = System.currentTimeMillis() + config.drainTimeoutMs();
    // readiness flips first: balancers polling /readyz stop sending before the listener closes
    Future<?> grace = config.drainGraceMs() > 0 ? vertx.timer(config.drainGraceMs()) : Future.succeededFuture();
    return grace.compose(x -> http.drain(config.drainTimeoutMs()))
        .eventually(() -> workers.executeBlocking(() -> {
          // the dispatcher's current round, if any, ends within one provider round-trip
          while (dispatching.get() && System.currentTimeMillis() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
          }
          for (String job : List.of("retention", "key-rotation", "delivery-recovery")) {
            try {
              coordination.release(job);
            } catch (java.sql.SQLException e) {
              LOG.warn("could not release lease {}: {}", job, e.getClass().getSimpleName());
            }
          }
          return null;
        }, false))
        .eventually(this::stop)
        .onComplete(x -> LOG.info("drained and stopped"));
  }

  public Future<Void> stop() {
    timers.forEach(t -> vertx.cancelTimer(t.get()));
    return vertx.undeploy(deploymentId).eventually(() -> workers.executeBlocking(() -> {
      db.close();
      return null;
    }, false)).mapEmpty();
  }
}

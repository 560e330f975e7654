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
import org.welcomeline.config.Config;
import org.welcomeline.content.ContentCatalog;
import org.welcomeline.content.Locales;
import org.welcomeline.dialogue.Commands;
import org.welcomeline.dialogue.ConversationService;
import org.welcomeline.dialogue.Dialogue;
import org.welcomeline.nlu.Nlu;
import org.welcomeline.nlu.TrainingData;
import org.welcomeline.store.Crypto;
import org.welcomeline.store.Database;
import org.welcomeline.web.HttpVerticle;

/**
 * The running application: database and HTTP first (so health checks answer), then models trained
 * on a worker; {@link #ready()} completes when messages can be answered. Tests start exactly this.
 */
public final class Welcomeline {
  private static final Logger LOG = LoggerFactory.getLogger(Welcomeline.class);

  private final Vertx vertx;
  private final Config config;
  private final Database db;
  private final WorkerExecutor workers;
  private final HttpVerticle http;
  private final String deploymentId;
  private final Promise<Backend> ready;

  private Welcomeline(Vertx vertx, Config config, Database db, WorkerExecutor workers, HttpVerticle http,
                      String deploymentId, Promise<Backend> ready) {
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
    return workers.executeBlocking(() -> {
      Crypto crypto = Crypto.fromConfig(config.secretKey(), config.dataDir());
      Database db = Database.open(config);
      return new Object[] {crypto, db};
    }, false).compose(parts -> {
      Crypto crypto = (Crypto) parts[0];
      Database db = (Database) parts[1];
      HttpVerticle http = new HttpVerticle(config, backend::get, db::ping, registry, workers);
      return vertx.deployVerticle(http).map(id -> {
        LOG.info("listening on port {} ({} database); training models for {}", http.port(),
            db.postgres() ? "PostgreSQL" : "SQLite", config.languages());
        workers.executeBlocking(() -> build(config, db, crypto, registry), false).onComplete(ar -> {
          if (ar.succeeded()) {
            backend.set(ar.result());
            LOG.info("ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
            ready.complete(ar.result());
          } else {
            LOG.error("cannot start: {}", ar.cause().getMessage());
            ready.fail(ar.cause());
          }
        });
        return new Welcomeline(vertx, config, db, workers, http, id, ready);
      }).onFailure(t -> db.close());
    });
  }

  static Backend build(Config config, Database db, Crypto crypto, PrometheusMeterRegistry registry) throws Exception {
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
            config.emergencyNumber(), config.maxTextChars()));
    return new Backend(nlu, locales, new ConversationService(db, crypto, dialogue, registry));
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
    return vertx.undeploy(deploymentId).eventually(() -> workers.executeBlocking(() -> {
      db.close();
      return null;
    }, false)).mapEmpty();
  }
}

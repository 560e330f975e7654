package org.welcomeline;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.welcomeline.config.Config;

/**
 * Starts the real application (same routing, same verticles as {@code Main}) once per JVM and
 * database engine, on a free port, with a fresh data dir or PostgreSQL schema.
 */
public final class TestServer {
  /** PostgreSQL used by tests; override with WELCOMELINE_TEST_PG_URL. */
  public static final String PG_BASE = System.getenv().getOrDefault("WELCOMELINE_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  public enum Engine { SQLITE, POSTGRES }

  /** Every test server checks Twilio signatures against this token and public URL. */
  public static final String TWILIO_TOKEN = "test-auth-token-0123456789abcdef";
  public static final String PUBLIC_URL = "https://welcomeline.example.org";

  private static final Map<Engine, TestServer> RUNNING = new ConcurrentHashMap<>();

  public final Vertx vertx;
  public final Welcomeline app;
  public final Backend backend;

  private TestServer(Vertx vertx, Welcomeline app, Backend backend) {
    this.vertx = vertx;
    this.app = app;
    this.backend = backend;
  }

  public static TestServer get(Engine engine) {
    return RUNNING.computeIfAbsent(engine, TestServer::startNew);
  }

  public int port() {
    return app.port();
  }

  public void stop() throws Exception {
    app.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Configuration for a test instance: free port, fresh data dir, the project's content. */
  public static JsonObject testConfig(Engine engine) {
    try {
      Path dir = Files.createTempDirectory("welcomeline-test");
      JsonObject c = new JsonObject().put("http_port", 0).put("host", "127.0.0.1")
          .put("data_dir", dir.toString()).put("twilio_auth_token", TWILIO_TOKEN).put("public_url", PUBLIC_URL)
          // the shared test servers see every test's traffic from 127.0.0.1; AbuseLimitsIT tests the limits
          .put("webchat_rate_per_minute", 1_000_000).put("webchat_connections_per_ip", 100_000)
          .put("api_rate_per_minute", 10_000_000);
      if (engine == Engine.POSTGRES) {
        c.put("database_url", freshPostgresSchema());
      }
      return c;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates a new schema in the test database; returns a JDBC URL using it. */
  public static String freshPostgresSchema() throws Exception {
    String schema = "wl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG_BASE); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return PG_BASE + (PG_BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static TestServer startNew(Engine engine) {
    return start(testConfig(engine));
  }

  /** Starts a separate instance with this configuration (callers stop it). */
  public static TestServer start(JsonObject json) {
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Vertx vertx = Main.vertx(registry);
      Config config = Config.fromJson(json);
      Welcomeline app = Welcomeline.start(vertx, config, registry).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      Backend backend = app.ready().toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
      return new TestServer(vertx, app, backend);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
  }
}

package org.welcomeline;

import org.welcomeline.store.Database;
import org.welcomeline.store.StaffStore;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.welcomeline.config.Config;
import org.welcomeline.config.ConfigException;
import org.welcomeline.content.ContentCheck;
import java.util.List;

/** Entry point: {@code java -jar welcomeline.jar} runs the server. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /** Checks the city's content files; 0 when nothing is broken. */
  static int contentCheck() {
    try {
      Config config = Config.fromJson(Config.fromEnvironment(System.getenv()));
      List<ContentCheck.LanguageReport> reports = ContentCheck.run(config.contentDir(), config.localesDir(),
          config.languages(), config.defaultLanguage(), config.smsSegmentBudget());
      System.out.print(ContentCheck.format(reports));
      boolean broken = reports.stream().anyMatch(r -> !r.errors().isEmpty());
      System.out.println(broken ? "content check: BROKEN (see ERROR lines)" : "content check: OK");
      return broken ? 1 : 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }

  /**
   * {@code staff add <username> <role>}: creates a staff account (the first admin, too). The password
   * comes from {@code WELCOMELINE_STAFF_PASSWORD} or is asked twice on the terminal; there is no default.
   */
  static int staffAdd(String username, String roleName) {
    try {
      StaffStore.Role role;
      try {
        role = StaffStore.Role.valueOf(roleName.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        System.err.println("role must be one of admin, editor, approver, viewer");
        return 2;
      }
      String password = System.getenv("WELCOMELINE_STAFF_PASSWORD");
      if (password == null || password.isEmpty()) {
        java.io.Console console = System.console();
        if (console == null) {
          System.err.println("set WELCOMELINE_STAFF_PASSWORD or run in a terminal");
          return 2;
        }
        String a = new String(console.readPassword("password for %s: ", username));
        String b = new String(console.readPassword("again: "));
        if (!a.equals(b)) {
          System.err.println("the passwords differ");
          return 2;
        }
        password = a;
      }
      String problem = StaffStore.passwordProblem(password);
      if (problem != null) {
        System.err.println(problem);
        return 2;
      }
      Config config = Config.fromJson(Config.fromEnvironment(System.getenv()));
      try (Database db = Database.open(config)) {
        StaffStore staff = new StaffStore(db);
        StaffStore.User u = staff.create(username, password, role, System.currentTimeMillis());
        staff.audit(null, "user_created", u.id(), "by command line: " + username + " as " + role, System.currentTimeMillis());
        System.out.println("created " + username + " (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")");
        return 0;
      }
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("cannot create the account: " + e.getMessage());
      return 1;
    }
  }

  /** A Vert.x instance whose metrics (HTTP, event loop, pools) go to {@code registry}. */
  public static Vertx vertx(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /**
   * A clustered Vert.x (Hazelcast, TCP member list; no multicast) so the event bus spans every
   * instance: a staff reply reaches a web chat open on another instance, live dashboards update
   * everywhere. Discovery is the configured member list; see docs/operations.md for Kubernetes.
   */
  public static Future<Vertx> clusteredVertx(PrometheusMeterRegistry registry, Config config) {
    com.hazelcast.config.Config hz = io.vertx.spi.cluster.hazelcast.ConfigUtil.loadConfig();
    hz.setClusterName("welcomeline");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false"); // our drain leaves the cluster last
    hz.setProperty("hazelcast.logging.type", "slf4j");
    com.hazelcast.config.NetworkConfig net = hz.getNetworkConfig();
    net.setPort(config.clusterPort()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
    com.hazelcast.config.JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(new java.util.ArrayList<>(config.clusterMembers()));
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    options.getEventBusOptions().setHost(config.clusterHost()).setPort(0);
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(new io.vertx.spi.cluster.hazelcast.HazelcastClusterManager(hz)).buildClustered();
  }

  public static void main(String[] args) {
    if (args.length >= 2 && args[0].equals("content") && args[1].equals("check")) {
      System.exit(contentCheck());
    }
    if (args.length == 4 && args[0].equals("staff") && args[1].equals("add")) {
      System.exit(staffAdd(args[2], args[3]));
    }
    if (args.length > 0) {
      System.err.println("usage: java -jar welcomeline.jar            run the server\n"
          + "       java -jar welcomeline.jar content check   check content/ and locales/\n"
          + "       java -jar welcomeline.jar staff add <username> <admin|editor|approver|viewer>");
      System.exit(2);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx plain = vertx(registry);
    java.util.concurrent.atomic.AtomicReference<Vertx> running = new java.util.concurrent.atomic.AtomicReference<>(plain);
    java.util.concurrent.atomic.AtomicReference<Welcomeline> app = new java.util.concurrent.atomic.AtomicReference<>();
    // SIGTERM (docker stop, systemctl stop, a Kubernetes rollout): readiness flips, then a drain
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Welcomeline w = app.get();
      if (w != null) {
        try {
          w.drain().toCompletionStage().toCompletableFuture()
              .get(w.config().drainGraceMs() + w.config().drainTimeoutMs() + 5_000L,
                  java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          LOG.warn("drain did not finish: {}", e.getClass().getSimpleName());
        }
      }
      try {
        // from this (non-Vert.x) thread, so the close is awaited here, not on a closing event loop
        running.get().close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close: {}", e.getClass().getSimpleName());
      }
    }, "welcomeline-drain"));
    Config config;
    try {
      // read on the main thread (not an event loop): the configuration decides which Vert.x to run on
      config = Config.load(plain, new JsonObject()).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable t = e.getCause() == null ? e : e.getCause();
      System.err.println(t instanceof ConfigException ? t.getMessage() : "cannot start: " + t.getMessage());
      plain.close();
      System.exit(1);
      return;
    }
    if (config.twilioAuthToken().isEmpty()) {
      LOG.warn("TWILIO_AUTH_TOKEN is not set: SMS webhooks are NOT signature-checked and outbound SMS go to the local outbox");
    }
    Vertx vertx = plain;
    if (config.cluster()) {
      try {
        plain.close().toCompletionStage().toCompletableFuture().get();
        vertx = clusteredVertx(registry, config).toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        System.err.println("cannot join the cluster: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        System.exit(1);
        return;
      }
      LOG.info("joined the cluster as {}:{} (members {})", config.clusterHost(), config.clusterPort(),
          config.clusterMembers());
    }
    running.set(vertx);
    Welcomeline.start(vertx, config, registry)
        .onSuccess(app::set)
        .compose(Welcomeline::ready)
        .onFailure(t -> {
          System.err.println("cannot start: " + t.getMessage());
          running.get().close().onComplete(x -> System.exit(1));
        });
  }
}

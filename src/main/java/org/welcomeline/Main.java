package org.welcomeline;

import org.welcomeline.store.Database;
import org.welcomeline.store.StaffStore;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
    Vertx vertx = vertx(registry);
    Config.load(vertx, new JsonObject())
        .compose(config -> {
          if (config.twilioAuthToken().isEmpty()) {
            LOG.warn("TWILIO_AUTH_TOKEN is not set: SMS webhooks are NOT signature-checked and outbound SMS go to the local outbox");
          }
          return Welcomeline.start(vertx, config, registry);
        })
        .compose(Welcomeline::ready)
        .onFailure(t -> {
          String msg = t instanceof ConfigException ? t.getMessage() : "cannot start: " + t.getMessage();
          System.err.println(msg);
          vertx.close().onComplete(x -> System.exit(1));
        });
  }
}

package org.welcomeline;

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
    if (args.length > 0) {
      System.err.println("usage: java -jar welcomeline.jar            run the server\n"
          + "       java -jar welcomeline.jar content check   check content/ and locales/");
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

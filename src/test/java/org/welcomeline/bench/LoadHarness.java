package org.welcomeline.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.welcomeline.channel.twilio.TwilioSignatures;

/**
 * Load generator for Welcomeline's Twilio webhook (and, for the ceiling, any GET endpoint).
 * Open model: requests are sent on a fixed schedule whatever the answers do, and each latency is
 * measured from the request's scheduled time (no coordinated omission). Bounded by a request count
 * and a duration; refuses targets other than loopback.
 */
public final class LoadHarness {

  /** What to send, how fast, for how long. */
  public record Plan(URI target, String method, double rate, int maxRequests, long maxMillis, long timeoutMillis,
                     String authToken, String publicUrl, List<String> bodies) {
  }

  /** What happened. */
  public record Result(long sent, long ok, long errors, long timeouts, double seconds, double achievedRate,
                       long p50us, long p95us, long p99us, long maxUs) {
    public String line() {
      return String.format("sent=%d ok=%d errors=%d timeouts=%d rate=%.0f/s p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms",
          sent, ok, errors, timeouts, achievedRate, p50us / 1000.0, p95us / 1000.0, p99us / 1000.0, maxUs / 1000.0);
    }
  }

  private LoadHarness() {
  }

  /** Runs a plan to completion; the future completes when every request has an outcome. */
  public static Future<Result> run(Vertx vertx, Plan plan) {
    String host = plan.target().getHost();
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1") && !host.startsWith("127.")) {
      return Future.failedFuture(new IllegalArgumentException("the harness only targets loopback, not " + host));
    }
    WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
        .setConnectTimeout((int) plan.timeoutMillis()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(256));
    Promise<Result> done = Promise.promise();
    long start = System.nanoTime();
    long intervalNanos = (long) (1_000_000_000L / plan.rate());
    int total = (int) Math.min(plan.maxRequests(), Math.max(1, plan.rate() * plan.maxMillis() / 1000.0));
    long[] latencies = new long[total];
    AtomicLong finished = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong timeouts = new AtomicLong();
    int[] next = {0};
    int port = plan.target().getPort();
    String path = plan.target().getRawPath();
    long[] timer = new long[1];
    timer[0] = vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (next[0] < total && start + next[0] * intervalNanos <= now) {
        int i = next[0]++;
        long scheduled = start + i * intervalNanos;
        var req = client.request(HttpMethod.valueOf(plan.method()), port, host, path).timeout(plan.timeoutMillis());
        Future<io.vertx.ext.web.client.HttpResponse<Buffer>> f;
        if (plan.method().equals("POST")) {
          Map<String, String> params = new LinkedHashMap<>();
          params.put("MessageSid", "SMload" + start + "x" + i);
          params.put("From", "+1555" + String.format("%07d", i % 10_000_000));
          params.put("To", "+15550199");
          params.put("Body", plan.bodies().get(i % plan.bodies().size()));
          params.put("NumMedia", "0");
          req.putHeader("Content-Type", "application/x-www-form-urlencoded");
          if (plan.authToken() != null) {
            req.putHeader("X-Twilio-Signature", TwilioSignatures.sign(plan.authToken(), plan.publicUrl() + path, params));
          }
          f = req.sendBuffer(Buffer.buffer(form(params)));
        } else {
          f = req.send();
        }
        f.onComplete(ar -> {
          latencies[i] = (System.nanoTime() - scheduled) / 1000;
          if (ar.succeeded() && ar.result().statusCode() == 200) {
            ok.incrementAndGet();
          } else if (ar.failed() && ar.cause() instanceof java.util.concurrent.TimeoutException) {
            timeouts.incrementAndGet();
          } else {
            errors.incrementAndGet();
          }
          if (finished.incrementAndGet() == total) {
            double secs = (System.nanoTime() - start) / 1e9;
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            client.close();
            done.complete(new Result(total, ok.get(), errors.get(), timeouts.get(), secs, total / secs,
                pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted[sorted.length - 1]));
          }
        });
      }
      if (next[0] >= total) {
        vertx.cancelTimer(timer[0]);
      }
    });
    return done.future();
  }

  static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static String form(Map<String, String> params) {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }

  /** Realistic multilingual message bodies: every golden line of every language. */
  public static List<String> goldenBodies() throws Exception {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(Path.of("src/test/resources/golden"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          String[] p = line.split("\t", 2);
          if (p.length == 2 && !p[0].equals("intent")) {
            out.add(p[1]);
          }
        }
      }
    }
    java.util.Collections.shuffle(out, new java.util.Random(42));
    return out;
  }

  /** The resident set size of a process, in MiB, from /proc (Linux), or -1. */
  public static double rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  /**
   * {@code LoadHarness <base-url> <server-pid> <auth-token> <public-url> <label> <rate>...}: for each
   * rate, a fixed-rate run of the webhook (10 s or 20,000 requests); then the ceiling: /healthz at the
   * highest rate, and the webhook's and /healthz's best achieved rates.
   */
  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    long pid = Long.parseLong(args[1]);
    String token = args[2];
    String publicUrl = args[3];
    String label = args[4];
    List<String> bodies = goldenBodies();
    Vertx vertx = Vertx.vertx();
    URI sms = base.resolve("/channels/twilio/sms");
    URI health = base.resolve("/healthz");
    // warm-up
    run(vertx, new Plan(sms, "POST", 200, 2000, 10_000, 10_000, token, publicUrl, bodies))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    System.out.printf("%-10s %-22s %s rss=%.0fMiB%n", label, "warm-up done", "", rssMiB(pid));
    for (int i = 5; i < args.length; i++) {
      double rate = Double.parseDouble(args[i]);
      Result r = run(vertx, new Plan(sms, "POST", rate, 20_000, 10_000, 10_000, token, publicUrl, bodies))
          .toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
      System.out.printf("%-10s webhook @%-6.0f/s  %s rss=%.0fMiB%n", label, rate, r.line(), rssMiB(pid));
    }
    double top = Double.parseDouble(args[args.length - 1]);
    Result h = run(vertx, new Plan(health, "GET", top, 20_000, 10_000, 10_000, null, null, List.of()))
        .toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    System.out.printf("%-10s healthz @%-6.0f/s  %s%n", label, top, h.line());
    vertx.close();
  }
}

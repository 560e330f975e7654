package org.welcomeline.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed configuration, built once at start: defaults, then {@code conf/welcomeline.yaml} (or the
 * file named by {@code WELCOMELINE_CONFIG}), then {@code WELCOMELINE_*} / {@code TWILIO_*}
 * environment variables. File keys are the environment names without the prefix, lower-case
 * ({@code WELCOMELINE_HTTP_PORT} = {@code http_port}). A bad value throws {@link ConfigException}
 * naming the key.
 */
public record Config(
    String host,
    int httpPort,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    int databasePoolSize,
    String publicUrl,
    String secretKey,
    String secretKeyPrevious,
    Path contentDir,
    Path localesDir,
    List<String> languages,
    String defaultLanguage,
    double intentThreshold,
    double languageThreshold,
    boolean linguaHighAccuracy,
    String emergencyNumber,
    int maxTextChars,
    int webchatMaxPending,
    int webchatConnectionsPerIp,
    int webchatRatePerMinute,
    int apiRatePerMinute,
    boolean trustProxy,
    int smsSegmentBudget,
    boolean smsPlainPunctuation,
    int smsRatePerMinute,
    int retentionMessageDays,
    List<String> districts,
    int broadcastRatePerSecond,
    int broadcastApprovalOver,
    double smsPricePerSegment,
    int retentionOutboxDays,
    boolean discreetEmergency,
    int retentionReportDays,
    int needsK,
    int needsGroupWindowDays,
    int needsCsvMaxRows,
    int broadcastRetryBaseMs,
    boolean cluster,
    String clusterHost,
    int clusterPort,
    List<String> clusterMembers,
    int deliveryLeaseMs,
    int drainTimeoutMs,
    int drainGraceMs,
    String twilioApiBaseUrl,
    String twilioAccountSid,
    String twilioAuthToken,
    String twilioFrom) {

  public static final String ENV_PREFIX = "WELCOMELINE_";

  /** The defaults, in file-key form. */
  public static JsonObject defaults() {
    return new JsonObject()
        .put("host", "0.0.0.0")
        .put("http_port", 8080)
        .put("data_dir", "./data")
        .put("database_url", "")
        .put("database_user", "")
        .put("database_password", "")
        .put("database_pool_size", 8)
        .put("public_url", "")
        .put("secret_key", "")
        .put("secret_key_previous", "")
        .put("content_dir", "./content")
        .put("locales_dir", "./locales")
        .put("languages", "auto")
        .put("default_language", "en")
        .put("intent_threshold", 0.25)
        .put("language_threshold", 0.5)
        .put("lingua_mode", "low")
        .put("emergency_number", "911")
        .put("max_text_chars", 5000)
        .put("webchat_max_pending", 16)
        .put("webchat_connections_per_ip", 50)
        .put("webchat_rate_per_minute", 60)
        .put("api_rate_per_minute", 600)
        .put("trust_proxy", false)
        .put("sms_segment_budget", 3)
        .put("sms_plain_punctuation", true)
        .put("sms_rate_per_minute", 10)
        .put("retention_message_days", 90)
        .put("districts", "north,south,east,west,center")
        .put("broadcast_rate_per_second", 10)
        .put("broadcast_approval_over", 500)
        .put("sms_price_per_segment", 0.0079)
        .put("retention_outbox_days", 30)
        .put("retention_report_days", 180)
        .put("needs_k", 5)
        .put("needs_group_window_days", 7)
        .put("needs_csv_max_rows", 5000)
        .put("broadcast_retry_base_ms", 1000)
        .put("cluster", false)
        .put("cluster_host", "127.0.0.1")
        .put("cluster_port", 5701)
        .put("cluster_members", "")
        .put("delivery_lease_ms", 60_000)
        .put("drain_timeout_ms", 15_000)
        .put("drain_grace_ms", 2_000)
        .put("discreet_emergency", true)
        .put("twilio_api_base_url", "")
        .put("twilio_account_sid", "")
        .put("twilio_auth_token", "")
        .put("twilio_from", "");
  }

  /** Loads defaults, the optional YAML file and the environment, then applies {@code overrides}. */
  public static Future<Config> load(Vertx vertx, JsonObject overrides) {
    String file = System.getenv().getOrDefault(ENV_PREFIX + "CONFIG", "conf/welcomeline.yaml");
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults()));
    if (Files.isRegularFile(Path.of(file))) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", file)));
    }
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(fromEnvironment(System.getenv())));
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(overrides));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(() -> { retriever.close(); return Future.succeededFuture(); })
        .map(Config::fromJson);
  }

  /** {@code WELCOMELINE_HTTP_PORT=9000} becomes {@code http_port: "9000"}; TWILIO_* keep their prefix. */
  public static JsonObject fromEnvironment(Map<String, String> env) {
    JsonObject json = new JsonObject();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !name.equals(ENV_PREFIX + "CONFIG")) {
        json.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT), value);
      } else if (name.startsWith("TWILIO_")) {
        json.put(name.toLowerCase(Locale.ROOT), value);
      }
    });
    return json;
  }

  /** Builds and validates; {@code json} holds file-form keys (missing keys take defaults). */
  public static Config fromJson(JsonObject json) {
    JsonObject j = defaults().mergeIn(json);
    Path contentDir = Path.of(string(j, "content_dir"));
    String mode = string(j, "lingua_mode").toLowerCase(Locale.ROOT);
    if (!mode.equals("low") && !mode.equals("high")) {
      throw bad("lingua_mode", "must be low or high", mode);
    }
    String dbUrl = string(j, "database_url");
    if (!dbUrl.isEmpty() && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:sqlite:")) {
      throw bad("database_url", "must start with jdbc:postgresql: or jdbc:sqlite:", dbUrl);
    }
    List<String> languages = languages(j.getValue("languages"), contentDir);
    String defaultLanguage = string(j, "default_language");
    if (!languages.contains(defaultLanguage)) {
      throw bad("default_language", "must be one of the configured languages " + languages, defaultLanguage);
    }
    String publicUrl = string(j, "public_url");
    if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^\\s]+")) {
      throw bad("public_url", "must be an http(s) URL", publicUrl);
    }
    return new Config(
        string(j, "host"),
        integer(j, "http_port", 0, 65535),
        Path.of(string(j, "data_dir")),
        dbUrl,
        string(j, "database_user"),
        string(j, "database_password"),
        integer(j, "database_pool_size", 1, 200),
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl,
        string(j, "secret_key"),
        string(j, "secret_key_previous"),
        contentDir,
        Path.of(string(j, "locales_dir")),
        languages,
        defaultLanguage,
        decimal(j, "intent_threshold", 0, 1),
        decimal(j, "language_threshold", 0, 1),
        mode.equals("high"),
        string(j, "emergency_number"),
        integer(j, "max_text_chars", 160, 100_000),
        integer(j, "webchat_max_pending", 1, 1000),
        integer(j, "webchat_connections_per_ip", 1, 100_000),
        integer(j, "webchat_rate_per_minute", 1, 1_000_000),
        integer(j, "api_rate_per_minute", 1, 10_000_000),
        bool(j, "trust_proxy"),
        integer(j, "sms_segment_budget", 1, 10),
        bool(j, "sms_plain_punctuation"),
        integer(j, "sms_rate_per_minute", 1, 100_000),
        integer(j, "retention_message_days", 1, 3650),
        districts(string(j, "districts")),
        integer(j, "broadcast_rate_per_second", 1, 10_000),
        integer(j, "broadcast_approval_over", 0, 100_000_000),
        decimal(j, "sms_price_per_segment", 0, 100),
        integer(j, "retention_outbox_days", 1, 3650),
        bool(j, "discreet_emergency"),
        integer(j, "retention_report_days", 1, 3650),
        integer(j, "needs_k", 1, 1000),
        integer(j, "needs_group_window_days", 1, 365),
        integer(j, "needs_csv_max_rows", 1, 1_000_000),
        integer(j, "broadcast_retry_base_ms", 1, 600_000),
        bool(j, "cluster"),
        string(j, "cluster_host"),
        integer(j, "cluster_port", 1, 65535),
        members(string(j, "cluster_members")),
        integer(j, "delivery_lease_ms", 1000, 3_600_000),
        integer(j, "drain_timeout_ms", 0, 600_000),
        integer(j, "drain_grace_ms", 0, 60_000),
        string(j, "twilio_api_base_url"),
        string(j, "twilio_account_sid"),
        string(j, "twilio_auth_token"),
        string(j, "twilio_from"));
  }

  /** Cluster members as host:port, comma-separated; empty for none (the default single instance). */
  static List<String> members(String value) {
    return commaList("cluster_members", value, false, "[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?",
        "must be host or host:port, comma-separated");
  }

  static List<String> districts(String value) {
    return commaList("districts", value, true, "[a-z0-9_-]{1,40}",
        "must be comma-separated names of letters, digits, _ or -");
  }

  /** A comma-separated list whose every item matches {@code pattern}; blanks are skipped. */
  private static List<String> commaList(String key, String value, boolean lowerCase, String pattern, String rule) {
    List<String> out = new java.util.ArrayList<>();
    for (String item : value.split(",")) {
      String t = lowerCase ? item.strip().toLowerCase(java.util.Locale.ROOT) : item.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (!t.matches(pattern)) {
        throw bad(key, rule, value);
      }
      out.add(t);
    }
    return List.copyOf(out);
  }


  public boolean postgres() {
    return databaseUrl.startsWith("jdbc:postgresql:");
  }

  private static List<String> languages(Object value, Path contentDir) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> out.add(String.valueOf(v).trim()));
    } else if (value == null || "auto".equals(String.valueOf(value).trim())) {
      try (var dirs = Files.list(contentDir)) {
        dirs.filter(d -> Files.isRegularFile(d.resolve("nlu.yml")))
            .map(d -> d.getFileName().toString()).sorted().forEach(out::add);
      } catch (Exception e) {
        throw bad("content_dir", "cannot be read", contentDir.toString());
      }
    } else {
      for (String s : String.valueOf(value).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    for (String lang : out) {
      if (!lang.matches("[a-z]{2,3}(-[A-Za-z]{2,4})?")) {
        throw bad("languages", "must be language codes such as en,es,ar", lang);
      }
    }
    if (out.isEmpty()) {
      throw bad("languages", "no language found (is content_dir right?)", String.valueOf(value));
    }
    return List.copyOf(out);
  }

  private static String string(JsonObject j, String key) {
    Object v = j.getValue(key);
    return v == null ? "" : String.valueOf(v).trim();
  }

  private static boolean bool(JsonObject j, String key) {
    String raw = string(j, key).toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw bad(key, "must be true or false", raw);
    };
  }

  /** True when Twilio credentials for sending are complete. */
  public boolean twilioSending() {
    return !twilioAccountSid.isEmpty() && !twilioAuthToken.isEmpty() && !twilioFrom.isEmpty();
  }

  private static int integer(JsonObject j, String key, int min, int max) {
    String raw = string(j, key);
    try {
      int v = Integer.parseInt(raw);
      if (v < min || v > max) {
        throw bad(key, "must be between " + min + " and " + max, raw);
      }
      return v;
    } catch (NumberFormatException e) {
      throw bad(key, "must be a whole number", raw);
    }
  }

  private static double decimal(JsonObject j, String key, double min, double max) {
    String raw = string(j, key);
    try {
      double v = Double.parseDouble(raw);
      if (!(v >= min && v <= max)) {
        throw bad(key, "must be between " + min + " and " + max, raw);
      }
      return v;
    } catch (NumberFormatException e) {
      throw bad(key, "must be a number", raw);
    }
  }

  private static ConfigException bad(String key, String rule, String value) {
    return new ConfigException("Invalid configuration: " + key + " (env " + ENV_PREFIX
        + key.toUpperCase(Locale.ROOT) + ") " + rule + "; got '" + value + "'");
  }
}

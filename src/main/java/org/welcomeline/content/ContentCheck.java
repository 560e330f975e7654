package org.welcomeline.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.ibm.icu.text.MessageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.welcomeline.nlu.Intents;
import org.welcomeline.nlu.TrainingData;

/**
 * Checks the files a city edits, per language: what is missing (topics, intents, strings), what is
 * still {@code review: pending}, and what is broken (unreadable YAML, unknown topic or intent, broken
 * ICU pattern, a placeholder the English source has and the translation lost, an SMS text over the
 * segment budget). Broken structure is an error (the command exits non-zero); the rest are warnings.
 * Run as {@code java -jar welcomeline.jar content check}.
 */
public final class ContentCheck {
  /** Below this many examples an intent is reported as thin. */
  static final int MIN_EXAMPLES = 25;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)");

  /** Findings for one language. */
  public record LanguageReport(String language, List<String> errors, List<String> warnings, int pending,
                               int approved) {
  }

  private ContentCheck() {
  }

  public static List<LanguageReport> run(Path contentDir, Path localesDir, List<String> languages, String source,
                                         int smsBudget) {
    Map<String, String> sourceStrings = new LinkedHashMap<>();
    try {
      sourceStrings.putAll(Locales.read(localesDir.resolve("messages_" + source + ".properties")));
    } catch (IOException e) {
      // reported for the source language below
    }
    List<LanguageReport> out = new ArrayList<>();
    for (String lang : languages) {
      out.add(check(contentDir, localesDir, lang, sourceStrings, smsBudget));
    }
    return out;
  }

  static LanguageReport check(Path contentDir, Path localesDir, String lang, Map<String, String> source,
                              int smsBudget) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int[] review = new int[2]; // pending, approved
    // services
    Path services = contentDir.resolve(lang).resolve("services.yaml");
    if (!Files.isRegularFile(services)) {
      warnings.add("services.yaml missing: every answer falls back to the default language");
    } else {
      try {
        Map<String, ServiceInfo> topics = ContentCatalog.read(services);
        for (String t : Intents.TOPICS) {
          ServiceInfo s = topics.get(t);
          if (s == null || s.sms().isBlank()) {
            warnings.add("services: topic '" + t + "' missing (falls back to the default language)");
            continue;
          }
          count(review, s.review());
          checkPattern("services " + t + ".sms", s.sms(), errors);
          checkPattern("services " + t + ".web", s.web(), errors);
          if (t.equals("emergency") && !s.sms().contains("{emergency_number}")) {
            errors.add("services: emergency.sms lost the {emergency_number} placeholder");
          }
          SmsText.Count c = SmsText.count(s.sms().replace("{emergency_number}", "911"));
          if (c.segments() > smsBudget) {
            warnings.add("services: " + t + ".sms is " + c.segments() + " SMS segments (" + c.encoding()
                + "), over the budget of " + smsBudget + ": residents need MORE");
          }
        }
      } catch (IOException e) {
        errors.add(e.getMessage());
      }
    }
    // NLU data
    Path nlu = contentDir.resolve(lang).resolve("nlu.yml");
    if (!Files.isRegularFile(nlu)) {
      warnings.add("nlu.yml missing: messages are classified with the default language's model");
    } else {
      try {
        TrainingData data = TrainingData.read(lang, nlu);
        for (String intent : Intents.ALL) {
          int n = data.examples().getOrDefault(intent, List.of()).size();
          if (n == 0) {
            warnings.add("nlu: intent '" + intent + "' has no examples");
          } else if (n < MIN_EXAMPLES) {
            warnings.add("nlu: intent '" + intent + "' has only " + n + " examples (want " + MIN_EXAMPLES + "+)");
          }
        }
        JsonNode root = YAML.readTree(Files.readString(nlu));
        for (JsonNode entry : root.path("nlu")) {
          if (entry.has("intent")) {
            count(review, entry.path("metadata").path("review").asText("pending"));
          }
        }
      } catch (IOException e) {
        errors.add(e.getMessage());
      }
    }
    // system strings
    Path props = localesDir.resolve("messages_" + lang + ".properties");
    if (!Files.isRegularFile(props)) {
      warnings.add("locale strings missing: system messages fall back to the default language");
    } else {
      try {
        Map<String, String> strings = Locales.read(props);
        String head = Files.readString(props);
        count(review, head.contains("review: approved") ? "approved" : "pending");
        Set<String> missing = new TreeSet<>();
        for (var e : source.entrySet()) {
          String v = strings.get(e.getKey());
          if (v == null) {
            missing.add(e.getKey());
            continue;
          }
          checkPattern("locale " + e.getKey(), v, errors);
          Set<String> want = placeholders(e.getValue());
          Set<String> have = placeholders(v);
          if (!have.containsAll(want)) {
            errors.add("locale " + e.getKey() + ": placeholder(s) " + want + " expected, found " + have);
          }
        }
        if (!missing.isEmpty()) {
          warnings.add("locale: " + missing.size() + " key(s) missing " + missing);
        }
      } catch (IOException e) {
        errors.add(props + ": " + e.getMessage());
      }
    }
    return new LanguageReport(lang, errors, warnings, review[0], review[1]);
  }

  private static void count(int[] review, String status) {
    if ("approved".equals(status)) {
      review[1]++;
    } else {
      review[0]++;
    }
  }

  static Set<String> placeholders(String pattern) {
    Set<String> out = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(pattern);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void checkPattern(String where, String pattern, List<String> errors) {
    try {
      new MessageFormat(pattern);
    } catch (IllegalArgumentException e) {
      errors.add(where + ": broken ICU MessageFormat pattern (" + e.getMessage() + ")");
    }
  }

  /** A readable table plus details; returns the text. */
  public static String format(List<LanguageReport> reports) {
    StringBuilder b = new StringBuilder(String.format("%-6s %-7s %-9s %-9s %-9s%n", "lang", "errors", "warnings",
        "pending", "approved"));
    for (LanguageReport r : reports) {
      b.append(String.format("%-6s %-7d %-9d %-9d %-9d%n", r.language(), r.errors().size(), r.warnings().size(),
          r.pending(), r.approved()));
    }
    for (LanguageReport r : reports) {
      r.errors().forEach(e -> b.append("ERROR   ").append(r.language()).append(": ").append(e).append('\n'));
      r.warnings().forEach(w -> b.append("warning ").append(r.language()).append(": ").append(w).append('\n'));
    }
    return b.toString();
  }
}

package org.welcomeline.content;

import com.ibm.icu.text.MessageFormat;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * System strings from {@code locales/messages_<lang>.properties} (UTF-8, ICU MessageFormat).
 * A key missing in a language falls back to the default language. Immutable after loading.
 */
public final class Locales {
  private final Map<String, Map<String, String>> strings;
  private final String defaultLanguage;

  public Locales(Map<String, Map<String, String>> strings, String defaultLanguage) {
    this.strings = Map.copyOf(strings);
    this.defaultLanguage = defaultLanguage;
  }

  /** Reads the files of {@code languages} that exist. Blocking IO. */
  public static Locales load(Path dir, List<String> languages, String defaultLanguage) throws IOException {
    Map<String, Map<String, String>> all = new HashMap<>();
    for (String lang : languages) {
      Path file = dir.resolve("messages_" + lang + ".properties");
      if (Files.isRegularFile(file)) {
        all.put(lang, read(file));
      }
    }
    if (!all.containsKey(defaultLanguage)) {
      throw new IOException("missing " + dir.resolve("messages_" + defaultLanguage + ".properties")
          + " (the default language's strings are required)");
    }
    return new Locales(all, defaultLanguage);
  }

  static Map<String, String> read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IllegalArgumentException e) {
      // java.util.Properties reports a broken unicode escape this way; a city's file error is an IOException
      throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).strip()));
    return m;
  }

  /**
   * A district's name for residents: {@code district.<id>} from the strings if the city named it (in
   * this language or the default), else the configured id with a capital and spaces ("old_town" →
   * "Old town"). District names are place names; most cities keep one spelling for all languages.
   */
  public String district(String language, String id) {
    String key = "district." + id;
    if (hasKey(language, key) || hasKey(defaultLanguage, key)) {
      return raw(language, key);
    }
    String spaced = id.replace('_', ' ').replace('-', ' ');
    return spaced.isEmpty() ? spaced : spaced.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + spaced.substring(1);
  }

  /** The languages that have a strings file, sorted. */
  public java.util.List<String> languages() {
    return strings.keySet().stream().sorted().toList();
  }

  public boolean has(String language) {
    return strings.containsKey(language);
  }

  /** The raw pattern in {@code language}, else the default language's, else the key itself. */
  public String raw(String language, String key) {
    String v = strings.getOrDefault(language, Map.of()).get(key);
    if (v == null) {
      v = strings.get(defaultLanguage).get(key);
    }
    return v == null ? key : v;
  }

  /** True when the language itself has this key (no fallback). */
  public boolean hasKey(String language, String key) {
    return strings.getOrDefault(language, Map.of()).containsKey(key);
  }

  /** Formats with ICU MessageFormat; {@code args} are name/value pairs. */
  public String format(String language, String key, Object... args) {
    String pattern = raw(language, key);
    if (args.length == 0 && pattern.indexOf('{') < 0) {
      return pattern;
    }
    Map<String, Object> named = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      named.put(String.valueOf(args[i]), args[i + 1]);
    }
    try {
      return new MessageFormat(pattern, Locale.forLanguageTag(language)).format(named);
    } catch (IllegalArgumentException e) {
      return pattern;
    }
  }

  /** A comma-separated list value, e.g. keywords. */
  public List<String> list(String language, String key) {
    String v = strings.getOrDefault(language, Map.of()).get(key);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }

  public Map<String, String> all(String language) {
    return strings.getOrDefault(language, Map.of());
  }

  public String defaultLanguage() {
    return defaultLanguage;
  }
}

package org.welcomeline.dialogue;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.welcomeline.content.Locales;
import org.welcomeline.nlu.Intents;

/**
 * Whole-message command words in every configured language, read from {@code locales/}
 * ({@code keywords.stop}, {@code keywords.start}, {@code keywords.help}, {@code keywords.menu},
 * {@code keywords.more}, {@code keywords.alerts}, {@code language.names}, {@code topic.<t>.keywords}).
 * The English carrier keywords (STOP, START, HELP ...) work in every language and keep the
 * conversation's language. A word shared by several languages remembers all of them. Immutable.
 */
public final class Commands {
  private static final List<String> KINDS = List.of("stop", "start", "forget", "mydata", "myalerts", "help", "menu",
      "more", "report");

  private final Map<String, Command> index = new HashMap<>();
  /** Prefix words that take a topic after them: STOP JOBS, ALERTS HOUSING. */
  private final Map<String, Command> prefixes = new HashMap<>();
  private final Map<String, String> topics = new HashMap<>();
  /** STATUS and its equivalents, followed by a report code. */
  private final Map<String, Command> status = new HashMap<>();
  private final List<String> codes;

  public Commands(Locales locales, List<String> languages) {
    this.codes = List.copyOf(languages);
    Map<String, Map<Command.Kind, List<String>>> words = new LinkedHashMap<>();
    for (String lang : languages) {
      for (String name : locales.list(lang, "language.names")) {
        if (name.length() > 3) {
          add(words, key(name), Command.Kind.LANGUAGE, lang);
        }
      }
      if (locales.hasKey(lang, "language.name")) {
        add(words, key(locales.raw(lang, "language.name")), Command.Kind.LANGUAGE, lang);
      }
      for (String k : KINDS) {
        for (String word : locales.list(lang, "keywords." + k)) {
          add(words, key(word), Command.Kind.valueOf(k.toUpperCase(Locale.ROOT)), lang);
        }
      }
    }
    words.forEach((word, byKind) -> {
      // a command keyword wins over a language name; STOP wins over everything
      Command.Kind kind = byKind.keySet().stream().min(Enum::compareTo).orElseThrow();
      index.put(word, new Command(kind, byKind.get(kind), null));
    });
    // English carrier keywords are language-neutral
    for (String k : KINDS) {
      for (String word : locales.list("en", "keywords." + k)) {
        index.put(key(word), new Command(Command.Kind.valueOf(k.toUpperCase(Locale.ROOT)), List.of(), null));
      }
    }
    for (String lang : languages) {
      for (String word : locales.list(lang, "keywords.stop")) {
        prefixes.putIfAbsent(key(word), new Command(Command.Kind.STOP_TOPIC, lang));
      }
      for (String word : locales.list(lang, "keywords.alerts")) {
        prefixes.putIfAbsent(key(word), new Command(Command.Kind.SUBSCRIBE, lang));
      }
      for (String topic : Intents.TOPICS) {
        topics.putIfAbsent(key(topic.replace('_', ' ')), topic);
        if (locales.hasKey(lang, "topic." + topic)) {
          topics.putIfAbsent(key(locales.raw(lang, "topic." + topic)), topic);
        }
        for (String word : locales.list(lang, "topic." + topic + ".keywords")) {
          topics.putIfAbsent(key(word), topic);
        }
      }
    }
    for (String lang : languages) {
      for (String word : locales.list(lang, "keywords.status")) {
        status.putIfAbsent(key(word), new Command(Command.Kind.STATUS, lang));
      }
    }
    for (String word : locales.list("en", "keywords.status")) {
      status.put(key(word), new Command(Command.Kind.STATUS, List.of(), null));
    }
    for (String word : locales.list("en", "keywords.stop")) {
      prefixes.put(key(word), new Command(Command.Kind.STOP_TOPIC, List.of(), null));
    }
    for (String word : locales.list("en", "keywords.alerts")) {
      prefixes.put(key(word), new Command(Command.Kind.SUBSCRIBE, List.of(), null));
    }
  }

  private static void add(Map<String, Map<Command.Kind, List<String>>> words, String word, Command.Kind kind,
                          String lang) {
    if (word.isEmpty()) {
      return;
    }
    List<String> langs = words.computeIfAbsent(word, w -> new LinkedHashMap<>()).computeIfAbsent(kind, k -> new ArrayList<>());
    if (!langs.contains(lang)) {
      langs.add(lang);
    }
  }

  /** The command this whole message is, if any. */
  public Optional<Command> match(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.length() > 60) {
      return Optional.empty();
    }
    // ISO codes only in capitals ("ES", "AR"): lower-case "so", "am", "en" are ordinary words
    String bare = trimmed.replaceAll("[\\p{P}\\p{S}\\s]+", "");
    if (bare.length() <= 3 && bare.equals(bare.toUpperCase(Locale.ROOT))) {
      String code = bare.toLowerCase(Locale.ROOT);
      if (codes.contains(code)) {
        return Optional.of(new Command(Command.Kind.LANGUAGE, code));
      }
    }
    String k = key(trimmed);
    Command whole = index.get(k);
    if (whole != null) {
      return Optional.of(whole);
    }
    // "STATUS 4821937", "حالة ٤٨٢١٩٣٧": a status keyword and a report code in any script's digits
    String digits = asciiDigits(k);
    java.util.regex.Matcher code = STATUS_CODE.matcher(digits);
    if (code.matches()) {
      Command word = status.get(code.group(1).strip());
      if (word != null) {
        return Optional.of(new Command(Command.Kind.STATUS, word.languages(), code.group(2)));
      }
    }
    // "STOP JOBS", "ALERTAS VIVIENDA": a prefix keyword (one or two words) and a topic name
    String[] words = k.split(" ");
    for (int n = 1; n <= Math.min(2, words.length - 1); n++) {
      Command prefix = prefixes.get(String.join(" ", Arrays.copyOfRange(words, 0, n)));
      String topic = topics.get(String.join(" ", Arrays.copyOfRange(words, n, words.length)));
      if (prefix != null && topic != null) {
        return Optional.of(new Command(prefix.kind(), prefix.languages(), topic));
      }
    }
    // scripts written without spaces: "订阅住房" = 订阅 + 住房
    for (Map.Entry<String, Command> e : prefixes.entrySet()) {
      String p = e.getKey();
      if (k.length() > p.length() && k.startsWith(p)) {
        String topic = topics.get(k.substring(p.length()).strip());
        if (topic != null) {
          return Optional.of(new Command(e.getValue().kind(), e.getValue().languages(), topic));
        }
      }
    }
    return Optional.empty();
  }

  private static final java.util.regex.Pattern STATUS_CODE = java.util.regex.Pattern.compile("(\\D+?) ?#?(\\d{7})");

  /** Any script's decimal digits as ASCII digits ("٤٢" → "42"); everything else unchanged. */
  public static String asciiDigits(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (Character.isDigit(cp) && Character.digit(cp, 10) >= 0) {
        b.append((char) ('0' + Character.digit(cp, 10)));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }

  /** Case-, accent- and punctuation-insensitive form of a command word. */
  static String key(String s) {
    String d = Normalizer.normalize(s.strip().toLowerCase(Locale.ROOT).replace('ı', 'i'), Normalizer.Form.NFD)
        .replaceAll("[\\u0300-\\u036F\\u064B-\\u065F\\u0670]", ""); // accents and Arabic harakat only: the
    // vowel signs of Bengali, Devanagari or Ethiopic are letters of the word (বাসা is not বাস)
    return Normalizer.normalize(d, Normalizer.Form.NFC).replaceAll("[\\p{P}\\p{S}]+", "").replaceAll("\\s+", " ").strip();
  }
}

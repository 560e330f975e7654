package org.welcomeline.dialogue;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.welcomeline.content.Locales;

/**
 * Whole-message command words in every configured language, read from {@code locales/}
 * ({@code keywords.stop}, {@code keywords.start}, {@code keywords.help}, {@code keywords.menu},
 * {@code keywords.more}, {@code language.names}). The English carrier keywords (STOP, START, HELP ...)
 * work in every language. Immutable.
 */
public final class Commands {
  private final Map<String, Command> index = new HashMap<>();
  private final List<String> codes;

  public Commands(Locales locales, List<String> languages) {
    String en = "en";
    // language names first, so that a command keyword wins a clash
    for (String lang : languages) {
      for (String name : locales.list(lang, "language.names")) {
        if (name.length() > 3) {
          index.putIfAbsent(key(name), new Command(Command.Kind.LANGUAGE, lang));
        }
      }
      String endonym = locales.hasKey(lang, "language.name") ? locales.raw(lang, "language.name") : null;
      if (endonym != null) {
        index.putIfAbsent(key(endonym), new Command(Command.Kind.LANGUAGE, lang));
      }
    }
    for (String lang : languages) {
      put(locales, lang, "keywords.stop", Command.Kind.STOP);
      put(locales, lang, "keywords.start", Command.Kind.START);
      put(locales, lang, "keywords.help", Command.Kind.HELP);
      put(locales, lang, "keywords.menu", Command.Kind.MENU);
      put(locales, lang, "keywords.more", Command.Kind.MORE);
    }
    // English carrier keywords are language-neutral: they keep the conversation's language
    if (locales.has(en)) {
      for (String k : List.of("keywords.stop", "keywords.start", "keywords.help", "keywords.menu", "keywords.more")) {
        for (String word : locales.list(en, k)) {
          Command c = index.get(key(word));
          if (c != null && en.equals(c.language())) {
            index.put(key(word), new Command(c.kind(), null));
          }
        }
      }
    }
    this.codes = languages;
  }



  private void put(Locales locales, String lang, String listKey, Command.Kind kind) {
    for (String word : locales.list(lang, listKey)) {
      index.put(key(word), new Command(kind, lang));
    }
  }

  /** The command this whole message is, if any. */
  public Optional<Command> match(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.length() > 40) {
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
    return Optional.ofNullable(index.get(key(trimmed)));
  }

  /** Case-, accent- and punctuation-insensitive form of a command word. */
  static String key(String s) {
    String d = Normalizer.normalize(s.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "");
    return Normalizer.normalize(d, Normalizer.Form.NFC).replaceAll("[\\p{P}\\p{S}]+", "").replaceAll("\\s+", " ").strip();
  }
}

package org.welcomeline.nlu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Naive-Bayes language model over character 1-4-grams, trained from the project's own texts
 * (NLU examples, answers, system strings). Covers languages Lingua lacks (Pashto, Dari, Tigrinya,
 * Amharic, Haitian Creole) and resident habits Lingua misreads (Vietnamese without diacritics,
 * Arabic in Latin letters). Immutable after construction.
 */
public final class NgramLanguageProfile {
  static final int MAX_N = 4;
  private final Map<String, Map<String, Integer>> counts = new HashMap<>();
  private final Map<String, Long> totals = new HashMap<>();
  private final Map<String, Set<Character.UnicodeScript>> scripts = new HashMap<>();
  private final Map<String, Character.UnicodeScript> primary = new HashMap<>();
  private final int vocabulary;

  /** A language writes a script when at least this many of its texts are in it (transliterations count). */
  static final int MIN_TEXTS_PER_SCRIPT = 8;

  public NgramLanguageProfile(Map<String, List<String>> textsByLanguage) {
    Set<String> vocab = new HashSet<>();
    textsByLanguage.forEach((lang, texts) -> {
      // one model per (language, script): Russian typed in Latin letters is judged against the Latin
      // part of the Russian data only, not diluted by its Cyrillic texts
      Map<Character.UnicodeScript, Integer> textsPerScript = new HashMap<>();
      for (String t : texts) {
        String s = prepare(t);
        Character.UnicodeScript script = dominantScript(s);
        if (script == null) {
          continue;
        }
        textsPerScript.merge(script, 1, Integer::sum);
        Map<String, Integer> c = counts.computeIfAbsent(lang + "|" + script, k -> new HashMap<>());
        long n = 0;
        for (String g : grams(s)) {
          c.merge(g, 1, Integer::sum);
          n++;
        }
        totals.merge(lang + "|" + script, n, Long::sum);
      }
      Set<Character.UnicodeScript> own = new HashSet<>();
      textsPerScript.forEach((sc, n) -> {
        if (n >= MIN_TEXTS_PER_SCRIPT) {
          own.add(sc);
        }
      });
      scripts.put(lang, own);
      textsPerScript.entrySet().stream().max(Map.Entry.comparingByValue())
          .ifPresent(e -> primary.put(lang, e.getKey()));
    });
    counts.values().forEach(c -> vocab.addAll(c.keySet()));
    this.vocabulary = Math.max(1, vocab.size());
  }

  /** The script most letters of {@code text} are written in, or null if it has no letters. */
  public static Character.UnicodeScript dominantScript(String text) {
    Map<Character.UnicodeScript, Integer> n = new HashMap<>();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        n.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
      }
    }
    return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  /** Languages with enough texts in this script to have a model of it. */
  public boolean writes(String language, Character.UnicodeScript script) {
    return scripts.getOrDefault(language, Set.of()).contains(script);
  }

  /** The script most of this language's texts are written in. */
  public Character.UnicodeScript primaryScript(String language) {
    return primary.get(language);
  }

  public Set<String> languages() {
    return counts.keySet();
  }

  /** Lower case, no punctuation or symbols, no stand-alone numbers; digits inside words stay (Arabizi "3andi"). */
  static String prepare(String text) {
    return " " + TextNormalizer.clean(text).toLowerCase(Locale.ROOT)
        .replaceAll("[\\p{P}\\p{S}]+", " ").replaceAll("(?<![\\p{L}\\p{M}])\\p{N}+(?![\\p{L}\\p{M}])", " ")
        .replaceAll(" +", " ").strip() + " ";
  }

  static List<String> grams(String s) {
    int[] cps = s.codePoints().toArray();
    List<String> out = new ArrayList<>();
    for (int n = 1; n <= MAX_N; n++) {
      for (int i = 0; i + n <= cps.length; i++) {
        if (n == 1 && cps[i] == ' ') {
          continue;
        }
        out.add(new String(cps, i, n));
      }
    }
    return out;
  }

  /**
   * Posterior over {@code candidates}: mean log-likelihood per n-gram, sharpened and soft-maxed, so
   * that longer texts give firmer answers without the overconfidence of raw naive Bayes.
   */
  public List<Scored> rank(String text, Set<String> candidates) {
    String prepared = prepare(text);
    List<String> grams = grams(prepared);
    Character.UnicodeScript script = dominantScript(prepared);
    if (grams.isEmpty() || candidates.isEmpty() || script == null) {
      return List.of();
    }
    Map<String, Double> logp = new HashMap<>();
    for (String lang : candidates) {
      Map<String, Integer> c = counts.get(lang + "|" + script);
      if (c == null) {
        continue;
      }
      double denom = totals.get(lang + "|" + script) + 0.5 * vocabulary;
      double sum = 0;
      for (String g : grams) {
        sum += Math.log((c.getOrDefault(g, 0) + 0.5) / denom);
      }
      logp.put(lang, sum / grams.size());
    }
    double sharpness = 4.0 * Math.sqrt(grams.size());
    if (logp.isEmpty()) {
      return List.of();
    }
    double max = logp.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    Map<String, Double> exp = new HashMap<>();
    double z = 0;
    for (var e : logp.entrySet()) {
      double v = Math.exp((e.getValue() - max) * sharpness);
      exp.put(e.getKey(), v);
      z += v;
    }
    List<Scored> out = new ArrayList<>();
    for (var e : exp.entrySet()) {
      out.add(new Scored(e.getKey(), e.getValue() / z));
    }
    out.sort(Comparator.comparingDouble(Scored::confidence).reversed());
    return out;
  }
}

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

  public NgramLanguageProfile(Map<String, List<String>> textsByLanguage) {
    Set<String> vocab = new HashSet<>();
    textsByLanguage.forEach((lang, texts) -> {
      Map<String, Integer> c = new HashMap<>();
      Map<Character.UnicodeScript, Integer> scriptCounts = new HashMap<>();
      long total = 0;
      int letters = 0;
      for (String t : texts) {
        String s = prepare(t);
        for (String g : grams(s)) {
          c.merge(g, 1, Integer::sum);
          total++;
        }
        for (int i = 0; i < s.length(); ) {
          int cp = s.codePointAt(i);
          i += Character.charCount(cp);
          if (Character.isLetter(cp)) {
            scriptCounts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
            letters++;
          }
        }
      }
      vocab.addAll(c.keySet());
      counts.put(lang, c);
      totals.put(lang, total);
      Set<Character.UnicodeScript> own = new HashSet<>();
      final int all = Math.max(1, letters);
      scriptCounts.forEach((sc, n) -> {
        if (n >= 0.01 * all) {
          own.add(sc);
        }
      });
      scripts.put(lang, own);
      scriptCounts.entrySet().stream().max(Map.Entry.comparingByValue())
          .ifPresent(e -> primary.put(lang, e.getKey()));
    });
    this.vocabulary = Math.max(1, vocab.size());
  }

  /** Languages whose training texts use this script (1% of letters or more). */
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

  static String prepare(String text) {
    return " " + TextNormalizer.clean(text).toLowerCase(Locale.ROOT)
        .replaceAll("[\\p{P}\\p{S}\\p{N}]+", " ").replaceAll(" +", " ").strip() + " ";
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
    List<String> grams = grams(prepare(text));
    if (grams.isEmpty() || candidates.isEmpty()) {
      return List.of();
    }
    Map<String, Double> logp = new HashMap<>();
    for (String lang : candidates) {
      Map<String, Integer> c = counts.get(lang);
      if (c == null) {
        continue;
      }
      double denom = totals.get(lang) + 0.5 * vocabulary;
      double sum = 0;
      for (String g : grams) {
        sum += Math.log((c.getOrDefault(g, 0) + 0.5) / denom);
      }
      logp.put(lang, sum / grams.size());
    }
    double sharpness = 4.0 * Math.sqrt(grams.size());
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

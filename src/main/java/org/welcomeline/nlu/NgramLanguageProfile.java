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
  /** Per script: every n-gram's log-probability in each language of that script, in one array. */
  private final Map<Character.UnicodeScript, Table> tables = new HashMap<>();
  private final Set<String> modelKeys;

  private static final java.util.regex.Pattern PUNCT = java.util.regex.Pattern.compile("[\\p{P}\\p{S}]+");
  private static final java.util.regex.Pattern LONE_NUMBER =
      java.util.regex.Pattern.compile("(?<![\\p{L}\\p{M}])\\p{N}+(?![\\p{L}\\p{M}])");
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

  /** The languages modelled in one script: index, log-probabilities per n-gram, and of an unseen n-gram. */
  private record Table(Map<String, Integer> index, Map<String, float[]> logp, float[] unseen) {
  }
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
    buildTables();
    this.modelKeys = Set.copyOf(counts.keySet());
    counts.clear(); // the tables hold everything rank needs
  }

  private void buildTables() {
    Map<Character.UnicodeScript, List<String>> langsByScript = new HashMap<>();
    for (String key : counts.keySet()) {
      String[] p = key.split("\\|", 2);
      langsByScript.computeIfAbsent(Character.UnicodeScript.valueOf(p[1]), k -> new ArrayList<>()).add(p[0]);
    }
    langsByScript.forEach((script, langs) -> {
      langs.sort(Comparator.naturalOrder());
      Map<String, Integer> index = new HashMap<>();
      float[] unseen = new float[langs.size()];
      for (int i = 0; i < langs.size(); i++) {
        index.put(langs.get(i), i);
        unseen[i] = (float) Math.log(0.5 / denominator(langs.get(i) + "|" + script));
      }
      Map<String, float[]> logp = new HashMap<>();
      for (int i = 0; i < langs.size(); i++) {
        String key = langs.get(i) + "|" + script;
        double denom = denominator(key);
        int li = i;
        counts.get(key).forEach((g, n) -> logp.computeIfAbsent(g, k -> unseen.clone())[li] =
            (float) Math.log((n + 0.5) / denom));
      }
      tables.put(script, new Table(Map.copyOf(index), logp, unseen));
    });
  }

  private double denominator(String key) {
    return totals.get(key) + 0.5 * vocabulary;
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
    return modelKeys;
  }

  /** Lower case, no punctuation or symbols, no stand-alone numbers; digits inside words stay (Arabizi "3andi"). */
  static String prepare(String text) {
    String s = PUNCT.matcher(TextNormalizer.clean(text).toLowerCase(Locale.ROOT)).replaceAll(" ");
    s = LONE_NUMBER.matcher(s).replaceAll(" ");
    return " " + SPACES.matcher(s).replaceAll(" ").strip() + " ";
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
    Table table = tables.get(script);
    if (table == null) {
      return List.of();
    }
    List<String> langs = new ArrayList<>();
    List<Integer> cols = new ArrayList<>();
    for (String lang : candidates) {
      Integer i = table.index().get(lang);
      if (i != null) {
        langs.add(lang);
        cols.add(i);
      }
    }
    int[] col = cols.stream().mapToInt(Integer::intValue).toArray();
    double[] sums = new double[col.length];
    for (String g : grams) {
      float[] row = table.logp().get(g);
      float[] values = row == null ? table.unseen() : row;
      for (int k = 0; k < col.length; k++) {
        sums[k] += values[col[k]];
      }
    }
    Map<String, Double> logp = new HashMap<>();
    for (int k = 0; k < col.length; k++) {
      logp.put(langs.get(k), sums[k] / grams.size());
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

package org.welcomeline.nlu;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Naive-Bayes language model over character 1-4-grams, trained from the project's own texts
 * (NLU examples, answers, system strings). Covers languages Lingua lacks (Pashto, Dari, Tigrinya,
 * Amharic, Haitian Creole) and resident habits Lingua misreads (Vietnamese without diacritics,
 * Arabic in Latin letters). Immutable after construction.
 */
public final class NgramLanguageProfile {
  static final int MAX_N = 4;
  // built by languages in parallel (start-up time), read-only afterwards
  private final Map<String, Map<String, Integer>> counts = new ConcurrentHashMap<>();
  private final Map<String, Long> totals = new ConcurrentHashMap<>();
  /** Per script: every n-gram's log-probability in each language of that script, in one array. */
  private final Map<Character.UnicodeScript, Table> tables = new ConcurrentHashMap<>();
  private final Set<String> modelKeys;

  private static final java.util.regex.Pattern PUNCT = java.util.regex.Pattern.compile("[\\p{P}\\p{S}]+");
  private static final java.util.regex.Pattern LONE_NUMBER =
      java.util.regex.Pattern.compile("(?<![\\p{L}\\p{M}])\\p{N}+(?![\\p{L}\\p{M}])");
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

  /**
   * The languages modelled in one script: index, log-probabilities per n-gram, and of an unseen n-gram.
   * Lookups are allocation-free: each code point of the script's n-grams has a small id (1..65535), an
   * n-gram is its ids packed into a {@code long}, and an open-addressing table maps that key to a row of
   * {@code logp} (one float per language).
   */
  private static final class Table {
    final Map<String, Integer> index;
    final float[] unseen;
    final int width;
    final int[] alphabetKeys; // open addressing: code point + 1 (0 = empty)
    final short[] alphabetIds;
    final long[] keys; // open addressing: packed ids (0 = empty)
    final int[] rows;
    final float[] logp; // row-major: row * width + language

    Table(Map<String, Integer> index, Map<String, float[]> logpByGram, float[] unseen) {
      this.index = Map.copyOf(index);
      this.unseen = unseen;
      this.width = unseen.length;
      Map<Integer, Integer> ids = new HashMap<>();
      for (String g : logpByGram.keySet()) {
        g.codePoints().forEach(cp -> ids.computeIfAbsent(cp, k -> ids.size() + 1));
      }
      if (ids.size() > 0xFFFF) {
        throw new IllegalArgumentException("more than 65535 distinct characters in one script's texts");
      }
      int acap = capacity(ids.size());
      alphabetKeys = new int[acap];
      alphabetIds = new short[acap];
      ids.forEach((cp, id) -> {
        int slot = slot(mix(cp), acap);
        while (alphabetKeys[slot] != 0) {
          slot = (slot + 1) & (acap - 1);
        }
        alphabetKeys[slot] = cp + 1;
        alphabetIds[slot] = (short) (int) id;
      });
      int cap = capacity(logpByGram.size());
      keys = new long[cap];
      rows = new int[cap];
      logp = new float[logpByGram.size() * width];
      int row = 0;
      for (Map.Entry<String, float[]> e : logpByGram.entrySet()) {
        long key = 0;
        for (int cp : e.getKey().codePoints().toArray()) {
          key = (key << 16) | ids.get(cp);
        }
        int slot = slot(mix(key), cap);
        while (keys[slot] != 0) {
          slot = (slot + 1) & (cap - 1);
        }
        keys[slot] = key;
        rows[slot] = row;
        System.arraycopy(e.getValue(), 0, logp, row * width, width);
        row++;
      }
    }

    /** The id of a code point, or 0 if no n-gram of this script contains it. */
    int id(int cp) {
      int slot = slot(mix(cp), alphabetKeys.length);
      while (true) {
        int k = alphabetKeys[slot];
        if (k == cp + 1) {
          return alphabetIds[slot] & 0xFFFF;
        }
        if (k == 0) {
          return 0;
        }
        slot = (slot + 1) & (alphabetKeys.length - 1);
      }
    }

    /** Offset of the n-gram's row in {@link #logp}, or -1 if unseen. */
    int offset(long key) {
      int slot = slot(mix(key), keys.length);
      while (true) {
        long k = keys[slot];
        if (k == key) {
          return rows[slot] * width;
        }
        if (k == 0) {
          return -1;
        }
        slot = (slot + 1) & (keys.length - 1);
      }
    }

    private static int capacity(int n) {
      return Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1; // load factor <= 0.5
    }

    private static long mix(long x) {
      x ^= x >>> 33;
      x *= 0xff51afd7ed558ccdL;
      x ^= x >>> 33;
      return x;
    }

    private static int slot(long hash, int capacity) {
      return (int) hash & (capacity - 1);
    }
  }
  private final Map<String, Set<Character.UnicodeScript>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Character.UnicodeScript> primary = new ConcurrentHashMap<>();
  private final int vocabulary;

  /** A language writes a script when at least this many of its texts are in it (transliterations count). */
  static final int MIN_TEXTS_PER_SCRIPT = 8;

  public NgramLanguageProfile(Map<String, List<String>> textsByLanguage) {
    Set<String> vocab = new HashSet<>();
    textsByLanguage.entrySet().parallelStream().forEach(entry -> {
      String lang = entry.getKey();
      List<String> texts = entry.getValue();
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
    langsByScript.entrySet().parallelStream().forEach(entry -> {
      Character.UnicodeScript script = entry.getKey();
      List<String> langs = entry.getValue();
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
      tables.put(script, new Table(index, logp, unseen));
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
    return rankPrepared(prepared, dominantScript(prepared), candidates);
  }

  /** As {@link #rank}, for a text already through {@link #prepare} whose dominant script is known. */
  List<Scored> rankPrepared(String prepared, Character.UnicodeScript script, Collection<String> candidates) {
    if (candidates.isEmpty() || script == null) {
      return List.of();
    }
    Table table = tables.get(script);
    if (table == null) {
      return List.of();
    }
    String[] langs = new String[candidates.size()];
    int[] col = new int[candidates.size()];
    int m = 0;
    for (String lang : candidates) {
      Integer i = table.index.get(lang);
      if (i != null) {
        langs[m] = lang;
        col[m++] = i;
      }
    }
    // the same n-grams in the same order as grams(prepared), so the sums are the same to the last bit
    int[] ids = new int[prepared.length()];
    int len = 0;
    boolean[] space = new boolean[prepared.length()];
    for (int i = 0; i < prepared.length(); ) {
      int cp = prepared.codePointAt(i);
      i += Character.charCount(cp);
      space[len] = cp == ' ';
      ids[len++] = table.id(cp);
    }
    double[] sums = new double[m];
    float[] logp = table.logp;
    int count = 0;
    for (int n = 1; n <= MAX_N; n++) {
      for (int i = 0; i + n <= len; i++) {
        if (n == 1 && space[i]) {
          continue;
        }
        count++;
        long key = 0;
        boolean known = true;
        for (int j = i; j < i + n && known; j++) {
          known = ids[j] != 0;
          key = (key << 16) | ids[j];
        }
        int off = known ? table.offset(key) : -1;
        if (off < 0) {
          float[] unseen = table.unseen;
          for (int k = 0; k < m; k++) {
            sums[k] += unseen[col[k]];
          }
        } else {
          for (int k = 0; k < m; k++) {
            sums[k] += logp[off + col[k]];
          }
        }
      }
    }
    if (count == 0 || m == 0) {
      return List.of();
    }
    double sharpness = 4.0 * Math.sqrt(count);
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < m; k++) {
      sums[k] /= count;
      max = Math.max(max, sums[k]);
    }
    double z = 0;
    for (int k = 0; k < m; k++) {
      sums[k] = Math.exp((sums[k] - max) * sharpness);
      z += sums[k];
    }
    List<Scored> out = new ArrayList<>(m);
    for (int k = 0; k < m; k++) {
      out.add(new Scored(langs[k], sums[k] / z));
    }
    out.sort(Comparator.comparingDouble(Scored::confidence).reversed());
    return out;
  }
}

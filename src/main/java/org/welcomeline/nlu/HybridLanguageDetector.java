package org.welcomeline.nlu;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Language identification for short resident messages, in layers:
 * <ol>
 *   <li>script: only languages whose texts use the message's script are candidates; letters unique to
 *       Pashto or Urdu decide among Arabic-script languages;</li>
 *   <li>Lingua, restricted to the configured languages it knows (Dari shares Lingua's Persian);</li>
 *   <li>a character n-gram model trained from the project's own texts, which knows every configured
 *       language, including transliterations;</li>
 * </ol>
 * The two scores are mixed with {@code linguaWeight}; where Lingua has no opinion (language it lacks,
 * or a transliteration), where the script leaves one candidate, or where the n-gram model is already
 * confident ({@link #NGRAM_CONFIDENT}), Lingua is not asked and the n-gram model speaks alone.
 */
public final class HybridLanguageDetector implements LanguageDetector {
  /** Codes Lingua lacks but whose written form it knows under another code. */
  private static final Map<String, String> LINGUA_PROXY = Map.of("prs", "fa", "fa-AF", "fa");
  private static final String PASHTO_LETTERS = "ټډړږښځڅڼۍې";
  private static final String URDU_LETTERS = "ٹڈڑںےۓ";
  /**
   * From this n-gram confidence on, Lingua is not asked and the n-gram ranking is the answer. Lingua is most
   * of the detector's cost; on the 3,728 golden messages (77% of them skip it) its opinion never changed the
   * top language above this confidence, nor a simulated conversation-language switch (measured 2026-11-24).
   * The confidences reported for those messages are the n-gram model's (higher than the mix).
   */
  public static final double NGRAM_CONFIDENT = 0.99;

  private final List<String> languages;
  private final NgramLanguageProfile profile;
  private final com.github.pemistahl.lingua.api.LanguageDetector lingua;
  private final Map<String, Language> linguaOf = new HashMap<>();
  private final double linguaWeight;
  private final double ngramConfident;
  /** Per script, the configured languages that write it (in configuration order). */
  private final Map<Character.UnicodeScript, List<String>> writers = new EnumMap<>(Character.UnicodeScript.class);
  private static final Character.UnicodeScript[] SCRIPTS = Character.UnicodeScript.values();

  public HybridLanguageDetector(List<String> languages, NgramLanguageProfile profile,
                                boolean highAccuracy, double linguaWeight) {
    this(languages, profile, highAccuracy, linguaWeight, NGRAM_CONFIDENT);
  }

  /**
   * @param ngramConfident the n-gram model's top confidence from which Lingua is not asked (above 1: always
   *                       asked)
   */
  public HybridLanguageDetector(List<String> languages, NgramLanguageProfile profile,
                                boolean highAccuracy, double linguaWeight, double ngramConfident) {
    this.languages = List.copyOf(new LinkedHashSet<>(languages));
    this.profile = profile;
    this.linguaWeight = linguaWeight;
    this.ngramConfident = ngramConfident;
    for (Character.UnicodeScript script : SCRIPTS) {
      writers.put(script, this.languages.stream().filter(l -> profile.writes(l, script)).toList());
    }
    Map<String, Language> byIso = new HashMap<>();
    for (Language l : Language.values()) {
      if (l != Language.UNKNOWN) {
        byIso.put(l.getIsoCode639_1().name().toLowerCase(Locale.ROOT), l);
      }
    }
    Set<Language> known = new LinkedHashSet<>();
    for (String code : languages) {
      Language l = byIso.get(LINGUA_PROXY.getOrDefault(code, code));
      if (l != null) {
        linguaOf.put(code, l);
        known.add(l);
      }
    }
    if (known.size() >= 2 && linguaWeight > 0) {
      LanguageDetectorBuilder b = LanguageDetectorBuilder.fromLanguages(known.toArray(Language[]::new))
          .withPreloadedLanguageModels();
      this.lingua = (highAccuracy ? b : b.withLowAccuracyMode()).build();
    } else {
      this.lingua = null;
    }
  }

  @Override
  public Detection detect(String text) {
    String t = TextNormalizer.clean(text);
    int[] letters = new int[SCRIPTS.length];
    boolean any = false;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        letters[Character.UnicodeScript.of(cp).ordinal()]++;
        any = true;
      }
    }
    if (!any) {
      return Detection.NONE;
    }
    int best = 0;
    for (int i = 1; i < letters.length; i++) {
      if (letters[i] > letters[best]) {
        best = i; // ties: the first script in enum order, as before
      }
    }
    Character.UnicodeScript script = SCRIPTS[best];
    List<String> candidates = writers.get(script);
    if (script == Character.UnicodeScript.ARABIC) {
      if (languages.contains("ps") && containsAny(t, PASHTO_LETTERS)) {
        candidates = List.of("ps");
      } else if (languages.contains("ur") && containsAny(t, URDU_LETTERS)) {
        candidates = List.of("ur");
      }
    }
    if (candidates.isEmpty()) {
      return Detection.NONE;
    }
    // the letters of t and of the prepared text are the same, so is their dominant script
    List<Scored> ngram = profile.rankPrepared(NgramLanguageProfile.prepare(t), script, candidates);
    if (candidates.size() == 1 && ngram.size() == 1) {
      return new Detection(List.of(new Scored(candidates.get(0), 1.0))); // what the mix below gives
    }
    Map<String, Double> nb = new HashMap<>();
    ngram.forEach(s -> nb.put(s.name(), s.confidence()));
    boolean askLingua = lingua != null && judges(script, candidates)
        && (ngram.isEmpty() || ngram.get(0).confidence() < ngramConfident);
    Map<String, Double> li = askLingua ? linguaScores(t, script, candidates, nb) : Map.of();
    List<Scored> out = new ArrayList<>(candidates.size());
    double z = 0;
    for (String lang : candidates) {
      double n = nb.getOrDefault(lang, 0.0);
      Double l = li.get(lang);
      double v = l == null ? n : linguaWeight * l + (1 - linguaWeight) * n;
      out.add(new Scored(lang, v));
      z += v;
    }
    if (z <= 0) {
      return Detection.NONE;
    }
    List<Scored> normalized = new ArrayList<>(out.size());
    for (Scored s : out) {
      normalized.add(new Scored(s.name(), s.confidence() / z));
    }
    normalized.sort(Comparator.comparingDouble(Scored::confidence).reversed());
    return new Detection(List.copyOf(normalized));
  }

  /** Whether Lingua has an opinion on any candidate: one it knows, written in that language's own script. */
  private boolean judges(Character.UnicodeScript script, List<String> candidates) {
    for (String lang : candidates) {
      if (linguaOf.containsKey(lang) && script == profile.primaryScript(lang)) {
        return true;
      }
    }
    return false;
  }

  /** Lingua's opinion on candidates written in their own script; null entries = no opinion. */
  private Map<String, Double> linguaScores(String text, Character.UnicodeScript script, List<String> candidates,
                                           Map<String, Double> nb) {
    Map<String, Double> out = new HashMap<>();
    if (lingua == null) {
      return out;
    }
    Map<Language, Double> values = lingua.computeLanguageConfidenceValues(text);
    double sum = 0;
    Set<Language> judged = EnumSet.noneOf(Language.class);
    for (String lang : candidates) {
      Language l = linguaOf.get(lang);
      if (l != null && script == profile.primaryScript(lang)) {
        judged.add(l);
      }
    }
    for (Language l : judged) {
      sum += values.getOrDefault(l, 0.0);
    }
    if (sum <= 0) {
      return out;
    }
    // share a Lingua language among the codes that map to it (fa, prs) by the n-gram model's ratio
    Map<Language, Double> nbShare = new EnumMap<>(Language.class);
    for (String lang : candidates) {
      Language l = linguaOf.get(lang);
      if (l != null && judged.contains(l)) {
        nbShare.merge(l, nb.getOrDefault(lang, 0.0), Double::sum);
      }
    }
    for (String lang : candidates) {
      Language l = linguaOf.get(lang);
      if (l == null || !judged.contains(l)) {
        continue;
      }
      double v = values.getOrDefault(l, 0.0) / sum;
      long sharing = candidates.stream().filter(c -> l.equals(linguaOf.get(c))).count();
      if (sharing > 1) {
        double share = nbShare.get(l);
        v = share > 0 ? v * nb.getOrDefault(lang, 0.0) / share : v / sharing;
      }
      out.put(lang, v);
    }
    return out;
  }

  private static boolean containsAny(String text, String letters) {
    for (int i = 0; i < letters.length(); i++) {
      if (text.indexOf(letters.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}

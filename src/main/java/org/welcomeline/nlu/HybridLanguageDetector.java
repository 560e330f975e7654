package org.welcomeline.nlu;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
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
 * or a transliteration) the n-gram model speaks alone.
 */
public final class HybridLanguageDetector implements LanguageDetector {
  /** Codes Lingua lacks but whose written form it knows under another code. */
  private static final Map<String, String> LINGUA_PROXY = Map.of("prs", "fa", "fa-AF", "fa");
  private static final String PASHTO_LETTERS = "ټډړږښځڅڼۍې";
  private static final String URDU_LETTERS = "ٹڈڑںےۓ";

  private final List<String> languages;
  private final NgramLanguageProfile profile;
  private final com.github.pemistahl.lingua.api.LanguageDetector lingua;
  private final Map<String, Language> linguaOf = new HashMap<>();
  private final double linguaWeight;

  public HybridLanguageDetector(List<String> languages, NgramLanguageProfile profile,
                                boolean highAccuracy, double linguaWeight) {
    this.languages = List.copyOf(languages);
    this.profile = profile;
    this.linguaWeight = linguaWeight;
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
    Map<Character.UnicodeScript, Integer> scriptCounts = new EnumMap<>(Character.UnicodeScript.class);
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        scriptCounts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
      }
    }
    if (scriptCounts.isEmpty()) {
      return Detection.NONE;
    }
    Character.UnicodeScript script = scriptCounts.entrySet().stream()
        .max(Map.Entry.comparingByValue()).get().getKey();
    Set<String> candidates = new LinkedHashSet<>();
    for (String lang : languages) {
      if (profile.writes(lang, script)) {
        candidates.add(lang);
      }
    }
    if (script == Character.UnicodeScript.ARABIC) {
      if (languages.contains("ps") && containsAny(t, PASHTO_LETTERS)) {
        candidates = Set.of("ps");
      } else if (languages.contains("ur") && containsAny(t, URDU_LETTERS)) {
        candidates = Set.of("ur");
      }
    }
    if (candidates.isEmpty()) {
      return Detection.NONE;
    }
    List<Scored> ngram = profile.rank(t, candidates);
    Map<String, Double> nb = new HashMap<>();
    ngram.forEach(s -> nb.put(s.name(), s.confidence()));
    Map<String, Double> li = linguaScores(t, script, candidates, nb);
    List<Scored> out = new ArrayList<>();
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
    final double total = z;
    List<Scored> normalized = new ArrayList<>(out.stream().map(s -> new Scored(s.name(), s.confidence() / total)).toList());
    normalized.sort(Comparator.comparingDouble(Scored::confidence).reversed());
    return new Detection(List.copyOf(normalized));
  }

  /** Lingua's opinion on candidates written in their own script; null entries = no opinion. */
  private Map<String, Double> linguaScores(String text, Character.UnicodeScript script, Set<String> candidates,
                                           Map<String, Double> nb) {
    Map<String, Double> out = new HashMap<>();
    if (lingua == null) {
      return out;
    }
    Map<Language, Double> values = lingua.computeLanguageConfidenceValues(text);
    double sum = 0;
    Set<Language> judged = new HashSet<>();
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
    Map<Language, Double> nbShare = new HashMap<>();
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

package org.welcomeline.nlu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The trained NLU: language detector plus per-language intent classifier. Thread-safe, read-only. */
public final class Nlu {
  /** Share of Lingua in the language score (the rest is the project's own n-gram model); measured, see docs/decisions.md. */
  public static final double LINGUA_WEIGHT = 0.5;

  private final LanguageDetector detector;
  private final IntentClassifier classifier;
  private final List<String> languages;

  public Nlu(LanguageDetector detector, IntentClassifier classifier, List<String> languages) {
    this.detector = detector;
    this.classifier = classifier;
    this.languages = List.copyOf(languages);
  }

  /**
   * Trains everything. CPU-bound and slow (seconds): call from a worker thread.
   *
   * @param extraTexts more texts per language for the language model (answers, system strings)
   */
  public static Nlu train(List<String> languages, List<TrainingData> data, Map<String, List<String>> extraTexts,
                          boolean highAccuracy) throws IOException {
    data = data.stream().map(Transliteration::augment).toList();
    Map<String, List<String>> texts = new HashMap<>();
    for (TrainingData d : data) {
      List<String> all = texts.computeIfAbsent(d.language(), k -> new ArrayList<>());
      d.examples().values().forEach(all::addAll);
    }
    extraTexts.forEach((lang, list) -> texts.computeIfAbsent(lang, k -> new ArrayList<>()).addAll(list));
    NgramLanguageProfile profile = new NgramLanguageProfile(texts);
    LanguageDetector detector = new HybridLanguageDetector(languages, profile, highAccuracy, LINGUA_WEIGHT);
    return new Nlu(detector, OpenNlpIntentClassifier.train(data), languages);
  }

  public LanguageDetector.Detection detectLanguage(String text) {
    return detector.detect(text);
  }

  public List<Scored> classify(String language, String text) {
    return classifier.rank(language, text);
  }

  public boolean supports(String language) {
    return classifier.supports(language);
  }

  public List<String> languages() {
    return languages;
  }
}

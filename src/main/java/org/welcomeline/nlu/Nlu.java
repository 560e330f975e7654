package org.welcomeline.nlu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
    return train(languages, data, extraTexts, highAccuracy, null);
  }

  /**
   * As {@link #train(List, List, Map, boolean)}, loading each language's intent model from {@code cacheDir}
   * when it was trained before from the same data (see {@link OpenNlpIntentClassifier#train(List, Path)}),
   * which makes a restart several seconds faster. Same models, same answers.
   *
   * @param cacheDir a writable directory for trained models, or null to always train
   */
  public static Nlu train(List<String> languages, List<TrainingData> data, Map<String, List<String>> extraTexts,
                          boolean highAccuracy, Path cacheDir) throws IOException {
    List<TrainingData> augmented = data.stream().map(Transliteration::augment).toList();
    // intent models (trained, or loaded from the cache) on their own threads while this one builds the detector
    CompletableFuture<OpenNlpIntentClassifier> intents = new CompletableFuture<>();
    Thread training = new Thread(() -> {
      try {
        intents.complete(OpenNlpIntentClassifier.train(augmented, cacheDir));
      } catch (Throwable t) {
        intents.completeExceptionally(t);
      }
    }, "nlu-intent-training");
    training.setDaemon(true);
    training.start();
    Map<String, List<String>> texts = new HashMap<>();
    for (TrainingData d : augmented) {
      List<String> all = texts.computeIfAbsent(d.language(), k -> new ArrayList<>());
      d.examples().values().forEach(all::addAll);
    }
    extraTexts.forEach((lang, list) -> texts.computeIfAbsent(lang, k -> new ArrayList<>()).addAll(list));
    NgramLanguageProfile profile = new NgramLanguageProfile(texts);
    LanguageDetector detector = new HybridLanguageDetector(languages, profile, highAccuracy, LINGUA_WEIGHT);
    try {
      return new Nlu(detector, intents.get(), languages);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while training", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
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

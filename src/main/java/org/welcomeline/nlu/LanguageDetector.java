package org.welcomeline.nlu;

import java.util.List;

/** Identifies the language of a short text among the configured languages. Thread-safe. */
public interface LanguageDetector {

  /** Best language first; empty ranking when the text carries no language signal (digits, emoji). */
  Detection detect(String text);

  /** @param ranking all candidate languages, best first, confidences summing to 1 */
  record Detection(List<Scored> ranking) {
    public static final Detection NONE = new Detection(List.of());

    public String language() {
      return ranking.isEmpty() ? null : ranking.get(0).name();
    }

    public double confidence() {
      return ranking.isEmpty() ? 0 : ranking.get(0).confidence();
    }

    public double confidenceOf(String language) {
      return ranking.stream().filter(s -> s.name().equals(language)).mapToDouble(Scored::confidence)
          .findFirst().orElse(0);
    }
  }
}

package org.welcomeline.nlu;

import java.util.List;

/** Classifies a resident's text into one of {@link Intents#ALL}, per language. Thread-safe. */
public interface IntentClassifier {
  /** All labels, best first, confidences summing to 1; empty if the language has no model. */
  List<Scored> rank(String language, String text);

  boolean supports(String language);
}

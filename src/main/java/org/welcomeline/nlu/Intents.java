package org.welcomeline.nlu;

import java.util.List;

/** The product taxonomy: exactly these 16 intent labels. */
public final class Intents {
  private Intents() {
  }

  /** Service topics: each has an answer in {@code content/<lang>/services.yaml}. */
  public static final List<String> TOPICS = List.of(
      "housing", "health", "legal", "city_id", "language_classes", "employment",
      "education", "food", "emergency", "business", "benefits", "transport");

  /** Conversational labels. */
  public static final List<String> CONVERSATIONAL = List.of("report_need", "human", "subscribe", "greeting");

  public static final List<String> ALL = List.of(
      "housing", "health", "legal", "city_id", "language_classes", "employment",
      "education", "food", "emergency", "business", "benefits", "transport",
      "report_need", "human", "subscribe", "greeting");

  public static boolean isTopic(String label) {
    return TOPICS.contains(label);
  }
}

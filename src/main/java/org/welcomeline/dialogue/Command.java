package org.welcomeline.dialogue;

import java.util.List;

/**
 * A deterministic command recognised before any classification.
 *
 * @param kind       what to do
 * @param languages  the languages whose keyword this is (several when languages share a word, such
 *                   as PARAR in Spanish and Portuguese); empty for language-neutral words such as the
 *                   English carrier keywords STOP, START, HELP, which keep the conversation's language
 * @param topic      for STOP_TOPIC and SUBSCRIBE: the service topic ("STOP JOBS", "ALERTS HOUSING"); for
 *                   STATUS: the report code ("STATUS 4821937")
 */
public record Command(Kind kind, List<String> languages, String topic) {
  public enum Kind { STOP, START, FORGET, MYDATA, MYALERTS, HELP, MENU, MORE, REPORT, LANGUAGE, STOP_TOPIC, SUBSCRIBE,
    STATUS }

  public Command {
    languages = List.copyOf(languages);
  }

  public Command(Kind kind, String language) {
    this(kind, language == null ? List.of() : List.of(language), null);
  }

  /** The only language of the keyword, or null if neutral or shared. */
  public String language() {
    return languages.size() == 1 ? languages.get(0) : null;
  }
}

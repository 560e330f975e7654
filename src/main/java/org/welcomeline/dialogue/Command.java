package org.welcomeline.dialogue;

/**
 * A deterministic command recognised before any classification.
 *
 * @param kind     what to do
 * @param language the language the command word belongs to (or the language chosen), may be null
 *                 for language-neutral words such as English STOP
 */
public record Command(Kind kind, String language) {
  public enum Kind { STOP, START, HELP, MENU, MORE, LANGUAGE }
}

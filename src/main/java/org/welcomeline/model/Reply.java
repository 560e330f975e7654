package org.welcomeline.model;

import java.util.List;

/**
 * What the service answers to one inbound message.
 *
 * @param text     the answer text (already in the resident's language, or with a fallback notice)
 * @param language the language of the conversation after this message
 * @param intent   the intent or command that produced the answer (e.g. {@code housing}, {@code command:help})
 * @param confidence intent confidence, 0..1 (1 for commands)
 * @param options  numbered choices offered (menu), empty if none
 * @param silent   true when nothing must be sent (e.g. opted out)
 */
public record Reply(String text, String language, String intent, double confidence,
                    List<String> options, boolean silent) {
  public Reply {
    options = options == null ? List.of() : List.copyOf(options);
  }

  public static Reply silent(String language, String intent) {
    return new Reply("", language, intent, 1.0, List.of(), true);
  }
}

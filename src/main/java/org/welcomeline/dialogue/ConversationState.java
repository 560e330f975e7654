package org.welcomeline.dialogue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the service remembers of one conversation between messages. Stored as JSON with the contact.
 *
 * @param language    the conversation's language, null before the first decision
 * @param menu        the pending numbered menu: {@code language} or {@code topic}, or null
 * @param options     the menu's options in order (language codes or intent labels)
 * @param more        the rest of a long answer, sent on MORE
 * @param failures    consecutive messages the bot could not classify
 * @param handoff     true while a person is handling the conversation (the bot stays quiet)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationState(String language, String menu, List<String> options, List<String> more,
                                int failures, boolean handoff) {
  public static final ConversationState NEW = new ConversationState(null, null, List.of(), List.of(), 0, false);

  public ConversationState {
    options = options == null ? List.of() : List.copyOf(options);
    more = more == null ? List.of() : List.copyOf(more);
  }

  public ConversationState withLanguage(String lang) {
    return new ConversationState(lang, menu, options, more, failures, handoff);
  }

  public ConversationState withMenu(String kind, List<String> opts) {
    return new ConversationState(language, kind, opts, more, failures, handoff);
  }

  public ConversationState withMore(List<String> rest) {
    return new ConversationState(language, menu, options, rest, failures, handoff);
  }

  public ConversationState withFailures(int n) {
    return new ConversationState(language, menu, options, more, n, handoff);
  }

  public ConversationState withHandoff(boolean h) {
    return new ConversationState(language, menu, options, more, failures, h);
  }

  public ConversationState clearMenu() {
    return new ConversationState(language, null, List.of(), more, failures, handoff);
  }
}

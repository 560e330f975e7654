package org.welcomeline;

import org.welcomeline.channel.Recovery;
import org.welcomeline.content.Locales;
import org.welcomeline.dialogue.ConversationService;
import org.welcomeline.nlu.Nlu;

/** The parts that exist once models are trained; the HTTP layer answers 503 until then. */
public record Backend(Nlu nlu, Locales locales, ConversationService conversations, Recovery recovery) {
}

package org.welcomeline.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Locale;
import org.welcomeline.content.SmsText;
import org.welcomeline.nlu.TextNormalizer;

/**
 * Coverage-guided fuzzing (Jazzer) of the text edge: the NLU normaliser and the SMS segment counter /
 * paginator. Without JAZZER_FUZZ these run the kept corpus (src/test/resources/.../Inputs) as
 * regression tests; `.ci/run` fuzzes each target briefly, and longer on demand (see docs/security.md).
 */
class TextFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void normaliserNeverThrowsAndIsStable(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    String clean = TextNormalizer.clean(text);
    assertEquals(clean, TextNormalizer.clean(clean), "cleaning is idempotent");
    List<String> tokens = TextNormalizer.tokens(text);
    for (String t : tokens) {
      assertFalse(t.isEmpty());
      assertFalse(t.contains(" "), t);
    }
    assertTrue(TextNormalizer.letterCount(text) >= 0);
  }

  @FuzzTest(maxDuration = "10s")
  void segmentsAndPagesKeepEveryCharacterWithinBudget(FuzzedDataProvider data) {
    int budget = data.consumeInt(1, 5);
    String text = data.consumeRemainingAsString();
    SmsText.Count count = SmsText.count(text);
    assertTrue(count.segments() >= (text.isEmpty() ? 0 : 1), count.toString());
    List<String> pages = SmsText.paginate(text, budget, "Reply MORE for the rest.", Locale.ENGLISH);
    for (String page : pages) {
      assertFalse(page.isEmpty());
      // never a broken surrogate pair at a page edge
      assertFalse(Character.isLowSurrogate(page.charAt(0)), "page starts inside a surrogate pair");
      assertFalse(Character.isHighSurrogate(page.charAt(page.length() - 1)), "page ends inside a surrogate pair");
      assertTrue(SmsText.count(page).segments() <= budget, page);
    }
  }
}

package org.welcomeline.nlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  @Test
  void lowerCasesStripsAccentsAndPunctuation() {
    assertEquals(List.of("necesito", "un", "medico", "ya"), TextNormalizer.tokens("¡Necesito un MÉDICO, ya!"));
  }

  @Test
  void collapsesRepeatedLettersButKeepsDoubles() {
    assertEquals(List.of("help", "cool"), TextNormalizer.tokens("heeeelp cool"));
    assertEquals(List.of("مرحبا"), TextNormalizer.tokens("مرحباااا"));
  }

  @Test
  void standaloneNumbersBecomeOneTokenButArabiziDigitsStay() {
    assertEquals(List.of("room", "#num", "3andi", "mushkle"), TextNormalizer.tokens("room 12 3andi mushkle"));
  }

  @Test
  void unifiesArabicScriptVariantsAndDropsHarakat() {
    assertEquals(TextNormalizer.tokens("أريد سَكَن"), TextNormalizer.tokens("اريد سكن"));
    assertEquals(TextNormalizer.tokens("كيف"), TextNormalizer.tokens("کیف"));
  }

  @Test
  void splitsHanCharactersIntoTokens() {
    assertEquals(List.of("我", "想", "找", "工", "作"), TextNormalizer.tokens("我想找工作！"));
  }

  @Test
  void cleanComposesDecomposedVietnameseAndDropsControls() {
    String decomposed = "to\u0302i ca\u0302\u0300n\u0007  vie\u0302\u0323c";
    assertEquals("tôi cần việc", TextNormalizer.clean(decomposed));
  }

  @Test
  void emptyAndSymbolOnlyInputGiveNoTokens() {
    assertTrue(TextNormalizer.tokens("").isEmpty());
    assertTrue(TextNormalizer.tokens("👍 !!! ...").isEmpty());
    assertTrue(TextNormalizer.tokens(null).isEmpty());
  }
}

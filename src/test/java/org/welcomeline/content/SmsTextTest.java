package org.welcomeline.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.welcomeline.content.SmsText.Encoding;

/** Segment counts as in Twilio's documentation: GSM-7 160/153, UCS-2 70/67, extension chars count double. */
class SmsTextTest {

  @ParameterizedTest(name = "{0} x ''{1}'' -> {2} {3} segment(s)")
  @CsvSource({
      "1, a, GSM7, 1",
      "160, a, GSM7, 1",
      "161, a, GSM7, 2",
      "306, a, GSM7, 2",
      "307, a, GSM7, 3",
      "459, a, GSM7, 3",
      "460, a, GSM7, 4",
      "80, €, GSM7, 1",
      "81, €, GSM7, 2",
      "70, ж, UCS2, 1",
      "71, ж, UCS2, 2",
      "134, ж, UCS2, 2",
      "135, ж, UCS2, 3",
      "35, 😀, UCS2, 1",
      "36, 😀, UCS2, 2",
  })
  void countsSegmentsLikeCarriers(int n, String ch, Encoding enc, int segments) {
    SmsText.Count c = SmsText.count(ch.repeat(n));
    assertEquals(enc, c.encoding());
    assertEquals(segments, c.segments());
  }

  @Test
  void oneNonGsmCharacterMakesTheWholeMessageUcs2() {
    assertEquals(Encoding.GSM7, SmsText.encoding("Hola, ¿qué tal? ñ ü é à"));
    assertEquals(Encoding.UCS2, SmsText.encoding("Olá, você"));  // á is not in GSM-7
    assertEquals(Encoding.UCS2, SmsText.encoding("It’s here")); // typographic apostrophe
  }

  @Test
  void anExtensionCharacterIsNeverSplitAcrossSegments() {
    // 152 letters then a euro sign (2 septets): the euro cannot start at septet 153 of segment 1
    String text = "a".repeat(152) + "€" + "a".repeat(10);
    assertEquals(2, SmsText.count(text).segments());
    assertEquals(152 + 2 + 10, SmsText.count(text).units());
    String tight = "a".repeat(152) + "€" + "a".repeat(152);
    assertEquals(3, SmsText.count(tight).segments(), "the euro moves to segment 2, which overflows");
  }

  @Test
  void smartPunctuationIsReplacedOnlyWhenThatMakesTheTextGsm() {
    assertEquals("It's \"here\" - now...", SmsText.plainPunctuation("It’s “here” – now…"));
    String arabic = "مرحبا “صديقي”";
    assertEquals(arabic, SmsText.plainPunctuation(arabic), "UCS-2 anyway: leave the text as written");
  }

  @Test
  void paginationFitsTheBudgetAndBreaksAtSentences() {
    String text = "First sentence is here. ".repeat(40).strip();
    List<String> pages = SmsText.paginate(text, 2, "Reply MORE for the rest.", Locale.ENGLISH);
    assertTrue(pages.size() > 1);
    for (int i = 0; i < pages.size(); i++) {
      assertTrue(SmsText.count(pages.get(i)).segments() <= 2, pages.get(i));
      if (i < pages.size() - 1) {
        assertTrue(pages.get(i).endsWith(".\nReply MORE for the rest."), pages.get(i));
      }
    }
    assertEquals(text.replace(" ", ""), String.join("", pages).replace("\nReply MORE for the rest.", "")
        .replace(" ", ""), "nothing lost or duplicated");
  }

  @Test
  void paginationNeverSplitsSurrogatePairsOrGraphemeClusters() {
    String emoji = "👩‍👩‍👧".repeat(60);   // a family emoji is one grapheme made of several code points
    for (String page : SmsText.paginate(emoji, 1, "MORE", Locale.ENGLISH)) {
      String body = page.endsWith("\nMORE") ? page.substring(0, page.length() - 5) : page;
      assertEquals(0, body.replace("👩‍👩‍👧", "").length(), "a page holds whole family emoji only: " + body);
      assertFalse(Character.isHighSurrogate(body.charAt(body.length() - 1)));
    }
    String decomposed = Normalizer.normalize("việc làm ", Normalizer.Form.NFD).repeat(30).replace(" ", "");
    for (String page : SmsText.paginate(decomposed, 1, "THEM", Locale.forLanguageTag("vi"))) {
      char first = page.charAt(0);
      assertFalse(Character.getType(first) == Character.NON_SPACING_MARK, "a page never starts with a combining mark");
    }
  }

  @Test
  void shortTextIsOnePage() {
    assertEquals(List.of("Hello"), SmsText.paginate("Hello", 3, "MORE", Locale.ENGLISH));
  }
}

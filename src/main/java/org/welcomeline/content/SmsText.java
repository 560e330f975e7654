package org.welcomeline.content;

import com.ibm.icu.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SMS length as carriers count it, and pagination of long answers into pages that fit a segment
 * budget. GSM-7: 160 septets in one segment, 153 per segment when concatenated, extension-table
 * characters ({@code ^ { } \ [ ~ ] | €} and form feed) take two septets and are never split across
 * segments. Anything else forces UCS-2: 70 UTF-16 units alone, 67 per segment, surrogate pairs never
 * split. Pages break at sentence ends, else at word boundaries, else between grapheme clusters.
 */
public final class SmsText {
  public enum Encoding { GSM7, UCS2 }

  /** Encoding, segment count and length in the encoding's units (septets or UTF-16 units). */
  public record Count(Encoding encoding, int segments, int units) {
  }

  static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  static final String GSM_EXTENSION = "^{}\\[~]|€\f";

  private static final Map<Character, String> SMART = Map.ofEntries(
      Map.entry('\u2018', "'"), Map.entry('\u2019', "'"), Map.entry('\u201A', "'"), Map.entry('\u2032', "'"),
      Map.entry('\u201C', "\""), Map.entry('\u201D', "\""), Map.entry('\u201E', "\""), Map.entry('\u2033', "\""),
      Map.entry('\u00AB', "\""), Map.entry('\u00BB', "\""), Map.entry('\u2013', "-"), Map.entry('\u2014', "-"),
      Map.entry('\u2015', "-"), Map.entry('\u2212', "-"), Map.entry('\u2026', "..."), Map.entry('\u00A0', " "),
      Map.entry('\u2022', "-"), Map.entry('\u00B7', "-"));

  private SmsText() {
  }

  public static boolean isGsm(int cp) {
    return cp < 0x10000 && (GSM_BASIC.indexOf(cp) >= 0 || GSM_EXTENSION.indexOf(cp) >= 0);
  }

  public static Encoding encoding(String text) {
    return text.codePoints().allMatch(SmsText::isGsm) ? Encoding.GSM7 : Encoding.UCS2;
  }

  public static Count count(String text) {
    Encoding enc = encoding(text);
    int single = enc == Encoding.GSM7 ? 160 : 70;
    int multi = enc == Encoding.GSM7 ? 153 : 67;
    List<Integer> units = new ArrayList<>();
    text.codePoints().forEach(cp -> units.add(enc == Encoding.GSM7
        ? (GSM_EXTENSION.indexOf(cp) >= 0 ? 2 : 1)
        : Character.charCount(cp)));
    int total = units.stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return new Count(enc, 0, 0);
    }
    if (total <= single) {
      return new Count(enc, 1, total);
    }
    int segments = 1;
    int used = 0;
    for (int u : units) {
      if (used + u > multi) {
        segments++;
        used = 0;
      }
      used += u;
    }
    return new Count(enc, segments, total);
  }

  /**
   * Replaces typographic quotes, dashes, ellipses and the like by GSM-7 equivalents when that makes
   * the whole text GSM-7 (so it costs 160 instead of 70 characters a segment); otherwise unchanged.
   */
  public static String plainPunctuation(String text) {
    if (encoding(text) == Encoding.GSM7) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String r = SMART.get(c);
      b.append(r == null ? String.valueOf(c) : r);
    }
    String replaced = b.toString();
    return encoding(replaced) == Encoding.GSM7 ? replaced : text;
  }

  /**
   * Splits {@code text} into pages of at most {@code budget} segments each; every page but the last
   * ends with a newline and {@code morePrompt}.
   */
  public static List<String> paginate(String text, int budget, String morePrompt, Locale locale) {
    List<String> pages = new ArrayList<>();
    String rest = text.strip();
    String suffix = "\n" + morePrompt;
    while (!rest.isEmpty()) {
      if (count(rest).segments() <= budget) {
        pages.add(rest);
        break;
      }
      int cut = longestPrefix(rest, budget, suffix, locale);
      pages.add(rest.substring(0, cut).strip() + suffix);
      rest = rest.substring(cut).strip();
    }
    return pages;
  }

  /** The longest break position such that {@code text[0,cut) + suffix} fits the budget (at least one grapheme). */
  private static int longestPrefix(String text, int budget, String suffix, Locale locale) {
    for (BreakIterator it : new BreakIterator[] {
        BreakIterator.getSentenceInstance(locale), BreakIterator.getLineInstance(locale),
        BreakIterator.getCharacterInstance(locale)}) {
      it.setText(text);
      int best = -1;
      for (int end = it.next(); end != BreakIterator.DONE && end < text.length(); end = it.next()) {
        if (count(text.substring(0, end).strip() + suffix).segments() <= budget) {
          best = end;
        } else {
          break;
        }
      }
      if (best > 0) {
        return best;
      }
    }
    // one grapheme cluster larger than a page (e.g. a letter with hundreds of combining marks, found by
    // fuzzing): split it at the longest code-point boundary that fits, never inside a surrogate pair
    int best = 0;
    for (int end = 0; end < text.length(); ) {
      end += Character.charCount(text.codePointAt(end));
      if (count(text.substring(0, end) + suffix).segments() > budget) {
        break;
      }
      best = end;
    }
    return best > 0 ? best : Character.charCount(text.codePointAt(0));
  }
}

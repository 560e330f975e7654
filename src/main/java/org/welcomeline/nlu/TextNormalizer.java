package org.welcomeline.nlu;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text normalisation shared by language detection and intent classification. Pure functions,
 * thread-safe.
 */
public final class TextNormalizer {
  private TextNormalizer() {
  }

  /** For language detection: NFC (decomposed Vietnamese confuses detectors), no controls, single spaces. */
  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    boolean space = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      boolean isSpace = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
      if (isSpace || type == Character.CONTROL) {
        space = out.length() > 0;
        continue;
      }
      if (type == Character.FORMAT && cp != 0x200C && cp != 0x200D) {
        continue; // bidi marks and the like; keep ZWNJ/ZWJ (Persian, emoji sequences)
      }
      if (type == Character.SURROGATE || type == Character.UNASSIGNED || cp == 0xFFFD) {
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.appendCodePoint(cp);
    }
    // again: a removed control or format character between combining marks changes their canonical
    // order (found by fuzzing), so the result must be re-composed to stay stable
    return Normalizer.normalize(out.toString(), Normalizer.Form.NFC);
  }

  /** Counts letters (any script). */
  public static int letterCount(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (Character.isLetter(cp)) {
        n++;
      }
      i += Character.charCount(cp);
    }
    return n;
  }

  /**
   * For intent classification: lower case, no accents or Arabic short vowels, unified Arabic-script
   * letter variants, digits as ASCII, punctuation and symbols dropped, letter runs of 3+ collapsed,
   * stand-alone numbers replaced by {@code #num}. Han and kana characters become one token each.
   */
  public static List<String> tokens(String text) {
    String s = Normalizer.normalize(clean(text), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    s = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640) {
        continue; // Latin/Cyrillic accents, Arabic harakat, tatweel
      }
      cp = unify(cp);
      if (Character.isDigit(cp)) {
        cp = '0' + Character.digit(cp, 10);
      }
      boolean keep = Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
          || Character.getType(cp) == Character.COMBINING_SPACING_MARK || cp == 0x200C;
      if (!keep) {
        cp = ' ';
      }
      if (isCjk(cp)) {
        b.append(' ').appendCodePoint(cp).append(' ');
      } else {
        b.appendCodePoint(cp == 0x200C ? ' ' : cp);
      }
    }
    String composed = Normalizer.normalize(b.toString(), Normalizer.Form.NFC);
    List<String> out = new ArrayList<>();
    for (String tok : composed.split(" +")) {
      if (tok.isEmpty()) {
        continue;
      }
      tok = collapseRuns(tok);
      out.add(tok.chars().allMatch(Character::isDigit) ? "#num" : tok);
    }
    return out;
  }

  /** "heeelp" -> "help", "مرحباااا" -> "مرحبا"; double letters stay ("cool"). */
  static String collapseRuns(String tok) {
    StringBuilder b = new StringBuilder(tok.length());
    int i = 0;
    while (i < tok.length()) {
      int cp = tok.codePointAt(i);
      int n = Character.charCount(cp);
      int j = i + n;
      int count = 1;
      while (j < tok.length() && tok.codePointAt(j) == cp) {
        j += n;
        count++;
      }
      b.appendCodePoint(cp);
      if (count == 2 || (count > 2 && !Character.isLetter(cp))) {
        b.appendCodePoint(cp);
      }
      i = j;
    }
    return b.toString();
  }

  private static boolean isCjk(int cp) {
    Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
    return sc == Character.UnicodeScript.HAN || sc == Character.UnicodeScript.HIRAGANA
        || sc == Character.UnicodeScript.KATAKANA;
  }

  private static int unify(int cp) {
    return switch (cp) {
      case 0x0623, 0x0625, 0x0622, 0x0671 -> 0x0627; // alef variants -> ا
      case 0x0649, 0x064A, 0x06CC, 0x06D0, 0x06CD -> 0x06CC; // yeh variants -> ی
      case 0x0643, 0x06A9 -> 0x06A9; // kaf -> ک
      case 0x0629 -> 0x0647; // teh marbuta -> ه
      case 0x0624 -> 0x0648; // waw hamza -> و
      case 0x0626 -> 0x06CC; // yeh hamza -> ی
      default -> cp;
    };
  }
}

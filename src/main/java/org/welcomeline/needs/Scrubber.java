package org.welcomeline.needs;

import java.nio.CharBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in free text written by residents and community associations before city
 * staff read it. Each finding becomes a bracketed token and the rest of the text is left exactly as
 * written:
 * <ul>
 *   <li>{@code [email]} e-mail addresses, Unicode local parts and domains included;</li>
 *   <li>{@code [phone]} phone numbers in international ({@code +49 151 23456789}, {@code 00 33 6 12 34 56 78},
 *       {@code +1.555.123.4567}), national ({@code 0151-2345 6789}, {@code (555) 123-4567}) and bare
 *       ({@code 555 123 4567}) formats, and the number in WhatsApp click-to-chat links ({@code wa.me/49...});</li>
 *   <li>{@code [id]} passport-like tokens ({@code P1234567}, {@code AB1234567}, {@code C01X00T47}), US A-numbers,
 *       NIE/USCIS-style codes, {@code 123-45-6789}, BAMF file numbers ({@code 1234567-438}) and any value
 *       introduced by an identity keyword (passport, ID, case, file, permit, Aktenzeichen/Az., pasaporte,
 *       expediente, NIE, passeport, dossier, titre de séjour, جواز, هوية, إقامة, ملف, паспорт, посвідка, справа,
 *       پاسپورت, پرونده, کد ملی, পাসপোর্ট ...);</li>
 *   <li>{@code [iban]} IBANs, with or without the usual groups of four; in lower case only when the mod-97 check
 *       digits are right;</li>
 *   <li>{@code [card]} Luhn-valid payment card numbers of 13 to 19 digits, plain or grouped.</li>
 * </ul>
 *
 * <p>Digits of every script (Arabic-Indic, Persian, Devanagari, Bengali, full-width ...) are read by their
 * value through {@link Character#digit(char, int)}, typographic dashes and spaces as their ASCII forms, and
 * bidi marks as spaces; this only affects matching, never the characters that are kept.
 *
 * <p><b>Short numbers are kept.</b> A number with at most six digits is never treated as a phone number,
 * written with or without spaces: counts, years, postcodes, house numbers, prices and the city's hotlines
 * ({@code 112}, {@code 911}, {@code 116 006}, {@code 116117}) stay readable. The price is that a six-digit local
 * phone number written without an area code passes through. Only an identity keyword lowers the bar: the
 * value after "passport", "Az.", "expediente" ... is scrubbed from five digits on. Dates ({@code 24.11.2026},
 * {@code 2026-11-24}, {@code 11/24/2026}), times and time ranges ({@code 10:30}, {@code 9.00-17.00}), year lists
 * ({@code 2025-2026}), amounts grouped by thousands ({@code 1.500.000}, {@code 1 500 000}) and spaced lists of
 * short numbers ({@code 10 12 14 16}) are kept too.
 *
 * <p><b>URLs are kept</b> when they start with a scheme or {@code www.}, query strings included, except the
 * number of a WhatsApp link and e-mail addresses inside them.
 *
 * <p>Not recognised: digits outside the Basic Multilingual Plane (mathematical digits), obfuscated
 * addresses ({@code name [at] mail.com}) and domains written without a scheme or {@code www.}, whose
 * numbers are judged like any other number.
 *
 * <p>The token is a best guess at the kind of data; whatever the label, the value is gone. A long number
 * without context becomes {@code [phone]}, one of more than 15 digits {@code [id]}.
 *
 * <p>Every pattern is anchored at the start of a token by a lookbehind and uses possessive or bounded
 * quantifiers, and runs of digits are scanned by hand, so scrubbing is linear in the length of the text even
 * for adversarial input. The class is stateless and thread-safe; a text without a digit or an {@code @} is
 * returned as is, without allocation.
 */
public final class Scrubber {

  private static final char BLANK = '\uE000';
  private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final int MAX_GROUPS = 32;

  private static final Pattern WHATSAPP = Pattern.compile(
      "(?<![\\p{L}\\p{N}])(?:wa\\.me/|whatsapp\\.com/send/?\\?phone=)(\\+?[0-9]{6,15})(?![0-9])", CI);
  private static final Pattern EMAIL = Pattern.compile(
      "(?<![\\p{L}\\p{N}\\p{M}._%+\\-])[\\p{L}\\p{N}\\p{M}._%+\\-]++@[\\p{L}\\p{N}\\p{M}.\\-]++");
  private static final Pattern URL = Pattern.compile(
      "(?<![\\p{L}\\p{N}])(?:https?://|www\\.)[^\\s<>\"]++", CI);
  private static final Pattern IBAN = Pattern.compile(
      "(?<![\\p{L}\\p{N}\\uE000])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}+(?:[ ]?[A-Z0-9]{1,4})?(?![\\p{L}\\p{N}])",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DATE = Pattern.compile(
      "(?<![0-9]|[0-9][./-])"
          + "(?:([0-9]{1,2})([./-])([0-9]{1,2})\\2([0-9]{4}|[0-9]{2})|([0-9]{4})([./-])([0-9]{1,2})\\6([0-9]{1,2}))"
          + "(?![0-9]|[./-][0-9])");

  private static final String ID_KEYWORDS = String.join("|",
      "passport", "id", "identity", "social\\s++security", "a-?number", "a-no", "alien", "uscis", "receipt",
      "case", "file", "reference", "ref", "permit", "visa",
      "aktenzeichen", "(?-i:Az|AZ)\\.", "geschäftszeichen", "reisepass(?:nummer)?", "pass(?:nummer|-nr)",
      "(?:personal)?ausweis(?:nummer)?", "aufenthaltstitel", "aufenthaltserlaubnis", "steuer-?id",
      "steuernummer", "sozialversicherungsnummer", "kundennummer", "vorgangsnummer",
      "pasaporte", "expediente", "cédula", "residencia",
      "passeport", "dossier", "séjour", "récépissé", "étranger", "identité", "sécurité\\s++sociale",
      "(?-i:SSN|NIE|DNI|NIF|NSS|TIE|CURP|AGDREF|ВНЖ|ІПН|ИНН|СНИЛС|РНОКПП|УНЗР)",
      "паспорт\\p{L}{0,3}", "посвідк\\p{L}{0,3}", "справ[аиі]", "дел[оау]",
      "(?:ال)?(?:جواز|هوي[ةت]|إقام[ةت]|اقام[ةت]|ملف|قضي[ةت])\\p{L}{0,2}",
      "(?:پاسپورت|گذرنامه|پرونده|اقامت|شناسنامه|کارت\\s++ملی|کد\\s++ملی)\\p{L}{0,2}",
      "পাসপোর্ট", "আইডি", "এনআইডি");
  private static final String ID_FILLERS = String.join("|",
      "number", "num", "no", "nr", "nummer", "numero", "número", "numéro", "n[º°o]", "№", "#",
      "is", "es", "est", "ist", "de", "del", "du", "of", "card", "carte", "karte", "tarjeta", "registration",
      "картк\\p{L}{0,2}", "номер\\p{L}?", "на", "проживання", "жительство",
      "رقم\\p{L}?", "هو", "هي", "(?:ال)?سفر\\p{L}?", "شماره", "من", "است", "নম্বর", "হলো");
  private static final Pattern ID_PHRASE = Pattern.compile(
      "(?<![\\p{L}\\p{M}])(?:" + ID_KEYWORDS + ")(?![\\p{L}\\p{M}])"
          + "(?:[\\s.:#№=\\-]{0,3}+(?:" + ID_FILLERS + ")\\.?(?![\\p{L}\\p{M}])){0,3}"
          + "[\\s.:#№=\\-]{0,4}+(?=\\p{L}{0,3}[0-9])"
          + "([\\p{L}\\p{N}](?:[\\p{L}\\p{N}]|[\\-/.][\\p{L}\\p{N}]|[ ][\\-/][ ][\\p{L}\\p{N}]|[ ][0-9]{3}){3,40}+)",
      CI);
  private static final Pattern TOKEN = Pattern.compile(
      "(?<![\\p{L}\\p{N}\\p{M}\\uE000])(?=[\\p{IsLatin}\\p{IsCyrillic}\\-]{0,4}[0-9])"
          + "[\\p{IsLatin}\\p{IsCyrillic}0-9][\\p{IsLatin}\\p{IsCyrillic}0-9\\-]*+");

  private Scrubber() {
  }

  /**
   * Returns {@code text} with personal data replaced by {@code [phone]}, {@code [email]}, {@code [id]},
   * {@code [iban]} or {@code [card]}; everything else is kept character for character.
   *
   * @param text free text, may be {@code null}
   * @return the scrubbed text, {@code null} for {@code null}, the same instance when nothing was found
   */
  public static String scrub(String text) {
    if (text == null || !mayContainPii(text)) {
      return text;
    }
    Pass pass = new Pass(text);
    pass.run();
    return pass.result();
  }

  /**
   * Tells whether {@link #scrub(String)} would replace anything in {@code text}.
   *
   * @param text free text, may be {@code null}
   * @return {@code true} when the text contains personal data this class recognises
   */
  public static boolean containsPii(String text) {
    if (text == null || !mayContainPii(text)) {
      return false;
    }
    Pass pass = new Pass(text);
    pass.run();
    return pass.found;
  }

  private static boolean mayContainPii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '@' || c == '\uFF20' || Character.isDigit(c)) {
        return true;
      }
    }
    return false;
  }

  private static char normalise(char c) {
    if (c < 0x80) {
      return c;
    }
    if (Character.isDigit(c)) {
      int value = Character.digit(c, 10);
      return value >= 0 ? (char) ('0' + value) : c;
    }
    if (c >= '\uFF01' && c <= '\uFF5E') {
      return (char) (c - 0xFEE0);
    }
    switch (c) {
      case '\u2010': case '\u2011': case '\u2012': case '\u2013': case '\u2014': case '\u2015': case '\u2212':
      case '\uFE63':
        return '-';
      case '\u00A0': case '\u2007': case '\u2009': case '\u202F': case '\u3000':
      case '\u200E': case '\u200F': case '\u061C': case '\u202A': case '\u202B': case '\u202C': case '\u202D':
      case '\u202E': case '\u2066': case '\u2067': case '\u2068': case '\u2069':
        return ' ';
      case '\u066B':
        return '.';
      case BLANK:
        return '\uFFFD';
      default:
        return c;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private enum Kind {
    PHONE("[phone]"), EMAIL("[email]"), ID("[id]"), IBAN("[iban]"), CARD("[card]");

    final String token;

    Kind(String token) {
      this.token = token;
    }
  }

  /** One scrubbing run over one text: a normalised shadow of the text and the spans found in it. */
  private static final class Pass {
    private final String text;
    private final char[] s;
    private final int n;
    private final CharSequence seq;
    private Kind[] kindAt;
    private int[] endAt;
    private boolean found;

    private final int[] groupStart = new int[MAX_GROUPS];
    private final int[] groupLen = new int[MAX_GROUPS];
    private final char[] gapSep = new char[MAX_GROUPS];
    private int groups;
    private int digits;
    private int runStart;
    private boolean plus;
    private boolean paren;

    Pass(String text) {
      this.text = text;
      this.n = text.length();
      this.s = new char[n];
      for (int i = 0; i < n; i++) {
        s[i] = normalise(text.charAt(i));
      }
      this.seq = CharBuffer.wrap(s);
    }

    void run() {
      whatsapp();
      emails();
      urls();
      ibans();
      dates();
      idPhrases();
      tokens();
      runs();
    }

    String result() {
      if (!found) {
        return text;
      }
      StringBuilder out = new StringBuilder(n);
      int i = 0;
      while (i < n) {
        if (kindAt[i] != null) {
          out.append(kindAt[i].token);
          i = endAt[i];
        } else {
          out.append(text.charAt(i++));
        }
      }
      return out.toString();
    }

    private void claim(int start, int end, Kind kind) {
      if (start >= end) {
        return;
      }
      for (int i = start; i < end; i++) {
        if (s[i] == BLANK) {
          return;
        }
      }
      for (int i = start; i < end; i++) {
        s[i] = BLANK;
      }
      if (kind != null) {
        if (kindAt == null) {
          kindAt = new Kind[n];
          endAt = new int[n];
        }
        kindAt[start] = kind;
        endAt[start] = end;
        found = true;
      }
    }

    private void whatsapp() {
      Matcher m = WHATSAPP.matcher(seq);
      while (m.find()) {
        claim(m.start(1), m.end(1), Kind.PHONE);
      }
    }

    private void emails() {
      Matcher m = EMAIL.matcher(seq);
      while (m.find()) {
        int start = m.start();
        int end = m.end();
        while (start < end && s[start] == '.') {
          start++;
        }
        while (end > start && (s[end - 1] == '.' || s[end - 1] == '-')) {
          end--;
        }
        int at = -1;
        for (int i = start; i < end; i++) {
          if (s[i] == '@') {
            at = i;
            break;
          }
        }
        int dot = -1;
        for (int i = end - 1; i > at; i--) {
          if (s[i] == '.') {
            dot = i;
            break;
          }
        }
        if (at > start && dot > at + 1 && dot < end - 1 && s[at + 1] != '.') {
          claim(start, end, Kind.EMAIL);
        }
      }
    }

    private void urls() {
      Matcher m = URL.matcher(seq);
      while (m.find()) {
        for (int i = m.start(); i < m.end(); i++) {
          s[i] = BLANK;
        }
      }
    }

    private void ibans() {
      Matcher m = IBAN.matcher(seq);
      while (m.find()) {
        int body = 0;
        int bodyDigits = 0;
        for (int i = m.start() + 4; i < m.end(); i++) {
          if (s[i] != ' ') {
            body++;
            if (isDigit(s[i])) {
              bodyDigits++;
            }
          }
        }
        boolean checked = !hasLowerCase(m.start(), m.end()) || mod97(m.start(), m.end());
        if (body >= 11 && body <= 30 && bodyDigits >= 6 && checked) {
          claim(m.start(), m.end(), Kind.IBAN);
        }
      }
    }

    private boolean hasLowerCase(int start, int end) {
      for (int i = start; i < end; i++) {
        if (Character.isLowerCase(s[i])) {
          return true;
        }
      }
      return false;
    }

    /** The IBAN check: country code and check digits moved to the end, letters as 10..35, remainder 1. */
    private boolean mod97(int start, int end) {
      int remainder = 0;
      for (int k = 0; k < end - start; k++) {
        int i = start + (k + 4) % (end - start);
        char c = Character.toUpperCase(s[i]);
        if (isDigit(c)) {
          remainder = (remainder * 10 + c - '0') % 97;
        } else if (c >= 'A' && c <= 'Z') {
          remainder = (remainder * 100 + c - 'A' + 10) % 97;
        }
      }
      return remainder == 1;
    }

    private void dates() {
      Matcher m = DATE.matcher(seq);
      while (m.find()) {
        boolean valid;
        if (m.start(1) >= 0) {
          int a = value(m.start(1), m.end(1));
          int b = value(m.start(3), m.end(3));
          valid = a >= 1 && b >= 1 && (a <= 31 && b <= 12 || a <= 12 && b <= 31)
              && plausibleYear(m.start(4), m.end(4));
        } else {
          int month = value(m.start(7), m.end(7));
          int day = value(m.start(8), m.end(8));
          valid = plausibleYear(m.start(5), m.end(5)) && month >= 1 && month <= 12 && day >= 1 && day <= 31;
        }
        if (valid) {
          claim(m.start(), m.end(), null);
        }
      }
    }

    private boolean plausibleYear(int start, int end) {
      if (end - start == 2) {
        return true;
      }
      int year = value(start, end);
      return year >= 1900 && year <= 2099;
    }

    private int value(int start, int end) {
      int v = 0;
      for (int i = start; i < end; i++) {
        v = v * 10 + (s[i] - '0');
      }
      return v;
    }

    private void idPhrases() {
      Matcher m = ID_PHRASE.matcher(seq);
      while (m.find()) {
        if (countDigits(m.start(1), m.end(1)) >= 5) {
          claim(m.start(1), m.end(1), Kind.ID);
        }
      }
    }

    private int countDigits(int start, int end) {
      int d = 0;
      for (int i = start; i < end; i++) {
        if (isDigit(s[i])) {
          d++;
        }
      }
      return d;
    }

    private void tokens() {
      Matcher m = TOKEN.matcher(seq);
      while (m.find()) {
        int start = m.start();
        int end = m.end();
        if (end < n && (Character.isLetterOrDigit(s[end]) || Character.getType(s[end]) == Character.NON_SPACING_MARK
            || Character.getType(s[end]) == Character.COMBINING_SPACING_MARK)) {
          continue;
        }
        while (end > start && s[end - 1] == '-') {
          end--;
        }
        if (isIdToken(start, end)) {
          claim(start, end, Kind.ID);
        }
      }
    }

    private boolean isIdToken(int start, int end) {
      int letters = 0;
      int d = 0;
      boolean lower = false;
      for (int i = start; i < end; i++) {
        char c = s[i];
        if (isDigit(c)) {
          d++;
        } else if (c != '-') {
          letters++;
          lower |= !Character.isUpperCase(c);
        }
      }
      if (letters == 0) {
        return false;
      }
      if (!lower && letters + d <= 20 && (d >= 6 || d >= 5 && letters >= 2)) {
        return true;
      }
      int i = start;
      while (i < end && s[i] != '-' && !isDigit(s[i])) {
        i++;
      }
      int prefix = i - start;
      if (prefix < 1 || prefix > 2) {
        return false;
      }
      if (i < end && s[i] == '-') {
        i++;
      }
      for (; i < end; i++) {
        if (!isDigit(s[i]) && !(s[i] == '-' && isDigit(s[i - 1]))) {
          return false;
        }
      }
      return d >= 6 && d <= 9;
    }

    private void runs() {
      int i = 0;
      while (i < n) {
        char c = s[i];
        if (c != '+' && c != '(' && !isDigit(c)) {
          i++;
          continue;
        }
        int end = scanRun(i);
        if (end < 0) {
          i++;
          continue;
        }
        Kind kind = classify();
        if (kind != null) {
          claim(runStart, end, kind);
        }
        i = end;
      }
    }

    /** Reads digit groups joined by short separators from {@code i}; returns the end, or -1 if none starts here. */
    private int scanRun(int i) {
      int j = i;
      plus = false;
      paren = false;
      boolean open = false;
      if (s[j] == '+') {
        plus = true;
        j++;
        if (j < n && s[j] == ' ') {
          j++;
        }
        if (j < n && s[j] == '(') {
          open = true;
          j++;
        }
      } else if (s[j] == '(') {
        paren = true;
        open = true;
        j++;
      }
      if (j >= n || !isDigit(s[j])) {
        return -1;
      }
      runStart = i;
      groups = 0;
      digits = 0;
      while (true) {
        int g = j;
        while (j < n && isDigit(s[j])) {
          j++;
        }
        if (groups < MAX_GROUPS) {
          groupStart[groups] = g;
          groupLen[groups] = j - g;
        }
        groups++;
        digits += j - g;
        int t = j;
        char sep = 0;
        while (t < n && t - j < 3) {
          char c = s[t];
          char kind;
          if (c == ' ' || c == '-' || c == '/' || c == '.') {
            kind = c;
          } else if (c == '(' && !open && groups == 1) {
            open = true;
            kind = '(';
          } else if (c == ')' && open) {
            open = false;
            kind = '(';
          } else {
            break;
          }
          if (sep == 0 || sep == ' ') {
            sep = kind;
          }
          t++;
        }
        if (t == j || t >= n || !isDigit(s[t])) {
          break;
        }
        if (t - j > 1 && !contains(j, t, '(', ')') && (contains(j, t, '.', '.') || t + 1 >= n || !isDigit(s[t + 1]))) {
          break;
        }
        if (groups <= MAX_GROUPS) {
          gapSep[groups - 1] = sep;
        }
        if (groups == 1 && paren && !contains(j, t, ')', ')')) {
          runStart = i + 1;
        }
        j = t;
      }
      if (groups == 1 && paren) {
        runStart = i + 1;
      }
      return j;
    }

    private boolean contains(int from, int to, char a, char b) {
      for (int i = from; i < to; i++) {
        if (s[i] == a || s[i] == b) {
          return true;
        }
      }
      return false;
    }

    private Kind classify() {
      if (digits < 7) {
        return null;
      }
      int first = groupStart[0];
      if (plus || groupLen[0] >= 2 && s[first] == '0' && s[first + 1] == '0') {
        return Kind.PHONE;
      }
      boolean trunk = s[first] == '0' || paren && runStart < first;
      if (!trunk && isCard()) {
        return Kind.CARD;
      }
      if (shape(3, 2, 4) && (sameGaps('-') || sameGaps(' ')) || shape(7, 3) && sameGaps('-')) {
        return Kind.ID;
      }
      if (trunk) {
        return Kind.PHONE;
      }
      if (groups == 1) {
        return digits <= 15 ? Kind.PHONE : Kind.ID;
      }
      if (groups > MAX_GROUPS) {
        return Kind.ID;
      }
      int minAfterFirst = Integer.MAX_VALUE;
      int max = 0;
      for (int g = 0; g < groups; g++) {
        max = Math.max(max, groupLen[g]);
        if (g > 0) {
          minAfterFirst = Math.min(minAfterFirst, groupLen[g]);
        }
      }
      if (max >= 7) {
        return digits <= 15 ? Kind.PHONE : Kind.ID;
      }
      if (minAfterFirst < 2 || allYears() || shape(5, 4) && sameGaps('-') || thousands() || timeRange()) {
        return null;
      }
      if (sameGaps(' ') && (digits < 9 || max <= 2)) {
        return null;
      }
      return digits <= 15 ? Kind.PHONE : Kind.ID;
    }

    private boolean shape(int... lengths) {
      if (groups != lengths.length) {
        return false;
      }
      for (int g = 0; g < groups; g++) {
        if (groupLen[g] != lengths[g]) {
          return false;
        }
      }
      return true;
    }

    private boolean sameGaps(char sep) {
      for (int g = 0; g < groups - 1; g++) {
        if (gapSep[g] != sep) {
          return false;
        }
      }
      return true;
    }

    private boolean isCard() {
      if (digits < 13 || digits > 19 || s[groupStart[0]] < '2' || s[groupStart[0]] > '6' || groups > 5) {
        return false;
      }
      boolean grouped = groups == 1 || shape(4, 6, 5) || shape(4, 6, 4);
      if (!grouped && (sameGaps(' ') || sameGaps('-'))) {
        grouped = groupLen[groups - 1] <= 4;
        for (int g = 0; g < groups - 1; g++) {
          grouped &= groupLen[g] == 4;
        }
      }
      return grouped && luhn();
    }

    private boolean luhn() {
      int sum = 0;
      int pos = 0;
      for (int g = groups - 1; g >= 0; g--) {
        for (int i = groupStart[g] + groupLen[g] - 1; i >= groupStart[g]; i--) {
          int d = s[i] - '0';
          if (pos++ % 2 == 1) {
            d *= 2;
            if (d > 9) {
              d -= 9;
            }
          }
          sum += d;
        }
      }
      return sum % 10 == 0;
    }

    private boolean allYears() {
      for (int g = 0; g < groups; g++) {
        int year = groupLen[g] == 4 ? value(groupStart[g], groupStart[g] + 4) : 0;
        if (year < 1900 || year > 2099) {
          return false;
        }
      }
      return true;
    }

    private boolean thousands() {
      if (groupLen[0] > 3 || !(sameGaps('.') || sameGaps(' '))) {
        return false;
      }
      for (int g = 1; g < groups; g++) {
        if (groupLen[g] != 3) {
          return false;
        }
      }
      return true;
    }

    private boolean timeRange() {
      return groups == 4 && gapSep[0] == '.' && gapSep[1] == '-' && gapSep[2] == '.'
          && groupLen[0] <= 2 && groupLen[1] == 2 && groupLen[2] <= 2 && groupLen[3] == 2
          && value(groupStart[0], groupStart[0] + groupLen[0]) <= 24 && value(groupStart[1], groupStart[1] + 2) <= 59
          && value(groupStart[2], groupStart[2] + groupLen[2]) <= 24 && value(groupStart[3], groupStart[3] + 2) <= 59;
    }
  }
}

package org.welcomeline.needs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Personal data in residents' free text is replaced by tokens; ordinary numbers are left alone. */
class ScrubberTest {

  static Stream<Arguments> personalData() {
    return Stream.of(
        // phones, international and national formats
        arguments("Call me on +49 151 23456789 please", "Call me on [phone] please"),
        arguments("Meine Nummer: 0151-2345 6789, danke", "Meine Nummer: [phone], danke"),
        arguments("Office line (555) 123-4567 after 5pm", "Office line [phone] after 5pm"),
        arguments("My cell is +1.555.123.4567.", "My cell is [phone]."),
        arguments("Or +1 (555) 123-4567 on weekends", "Or [phone] on weekends"),
        arguments("Text 555-123-4567 anytime", "Text [phone] anytime"),
        arguments("Call me (0151 2345678) tomorrow", "Call me ([phone]) tomorrow"),
        arguments("Appelez-moi au 00 33 6 12 34 56 78 svp", "Appelez-moi au [phone] svp"),
        arguments("Mon portable: 06.12.34.56.78", "Mon portable: [phone]"),
        arguments("Llámame al 612 34 56 78, por favor", "Llámame al [phone], por favor"),
        arguments("Мій телефон +380 67 123 45 67, пишіть", "Мій телефон [phone], пишіть"),
        arguments("رقمي +963 944 123 456 شكرا", "رقمي [phone] شكرا"),
        arguments("Write on WhatsApp: wa.me/4915123456789", "Write on WhatsApp: wa.me/[phone]"),
        arguments("https://wa.me/4915123456789?text=hola", "https://wa.me/[phone]?text=hola"),
        // phones in other digit scripts
        arguments("اتصل بي على ٠٩٤٤١٢٣٤٥٦ من فضلك", "اتصل بي على [phone] من فضلك"),
        arguments("واتساب: +٩٦٣ ٩٤٤ ١٢٣ ٤٥٦", "واتساب: [phone]"),
        arguments("هاتفي \u200E+49 151 23456789", "هاتفي \u200E[phone]"),
        arguments("شماره من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است", "شماره من [phone] است"),
        arguments("আমার নম্বর ০১৭১১-২৩৪৫৬৭, ফোন করুন", "আমার নম্বর [phone], ফোন করুন"),
        arguments("मेरा नंबर ९८७६५४३२१० है", "मेरा नंबर [phone] है"),
        arguments("電話：０９０－１２３４－５６７８です", "電話：[phone]です"),
        // e-mail
        arguments("Schreiben Sie an max.mustermann@example.de.", "Schreiben Sie an [email]."),
        arguments("Mi correo es josé.garcía@correo.es, gracias", "Mi correo es [email], gracias"),
        arguments("Пишіть на олена@пошта.укр", "Пишіть на [email]"),
        arguments("بريدي ahmad.k+news@gmail.com", "بريدي [email]"),
        arguments("Contact: mailto:info@verein-hilfe.org", "Contact: mailto:[email]"),
        // identity documents and file numbers
        arguments("Passport: P1234567", "Passport: [id]"),
        arguments("passport number AB1234567 expired", "passport number [id] expired"),
        arguments("Pass-Nr. C01X00T47", "Pass-Nr. [id]"),
        arguments("My A-number is A-123-456-789", "My A-number is [id]"),
        arguments("USCIS wrote to A123456789 last week", "USCIS wrote to [id] last week"),
        arguments("Receipt IOE0912345678 arrived", "Receipt [id] arrived"),
        arguments("Case number: 2024-CV-98765", "Case number: [id]"),
        arguments("SSN 123-45-6789", "SSN [id]"),
        arguments("my social is 123-45-6789", "my social is [id]"),
        arguments("NI number QQ123456C", "NI number [id]"),
        arguments("BAMF Az. 1234567-438, bitte prüfen", "BAMF Az. [id], bitte prüfen"),
        arguments("Aktenzeichen 7654321-123", "Aktenzeichen [id]"),
        arguments("Brief vom BAMF 1234567-438", "Brief vom BAMF [id]"),
        arguments("Steuer-ID 12345678901", "Steuer-ID [id]"),
        arguments("Mi número de expediente es 28/123456/2025", "Mi número de expediente es [id]"),
        arguments("Tengo NIE X1234567L", "Tengo NIE [id]"),
        arguments("pasaporte: 12345", "pasaporte: [id]"),
        arguments("Mon numéro de dossier est 7501234567", "Mon numéro de dossier est [id]"),
        arguments("passeport n° 18AV12345", "passeport n° [id]"),
        arguments("titre de séjour: 1234567890", "titre de séjour: [id]"),
        arguments("رقم جواز سفري هو N12345678", "رقم جواز سفري هو [id]"),
        arguments("رقم الملف ٧٦٥٤٣٢١", "رقم الملف [id]"),
        arguments("بطاقة الإقامة رقم ١٢٣٤٥٦٧٨٩", "بطاقة الإقامة رقم [id]"),
        arguments("Номер паспорта: FX123456", "Номер паспорта: [id]"),
        arguments("посвідка на проживання № 12345678", "посвідка на проживання № [id]"),
        arguments("паспорт 4510 123456, выдан в Москве", "паспорт [id], выдан в Москве"),
        arguments("شماره پاسپورت من ۱۲۳۴۵۶۷۸۹ است", "شماره پاسپورت من [id] است"),
        arguments("کد ملی: ۰۰۱۲۳۴۵۶۷۸", "کد ملی: [id]"),
        arguments("পাসপোর্ট নম্বর: A০১২৩৪৫৬৭", "পাসপোর্ট নম্বর: [id]"),
        // bank accounts and cards
        arguments("IBAN: DE89 3704 0044 0532 0130 00", "IBAN: [iban]"),
        arguments("Überweisung an DE89370400440532013000 bitte", "Überweisung an [iban] bitte"),
        arguments("Meine IBAN: de89 3704 0044 0532 0130 00", "Meine IBAN: [iban]"),
        arguments("Account GB82 WEST 1234 5698 7654 32", "Account [iban]"),
        arguments("Mon RIB : FR14 2004 1010 0505 0001 3M02 606", "Mon RIB : [iban]"),
        arguments("cuenta ES91 2100 0418 4502 0005 1332.", "cuenta [iban]."),
        arguments("Card 4111 1111 1111 1111 exp 12/27", "Card [card] exp 12/27"),
        arguments("Paid with 5555-5555-5555-4444", "Paid with [card]"),
        arguments("Amex 3782 822463 10005", "Amex [card]"),
        arguments("number 4012888888881881 ok", "number [card] ok"),
        // several at once
        arguments("Ahmad, +49 151 23456789, ahmad@mail.de, Pass P1234567",
            "Ahmad, [phone], [email], Pass [id]"),
        arguments("Familie mit 3 Kindern, Tel. 030 1234567, Hauptstr. 12, 10115 Berlin",
            "Familie mit 3 Kindern, Tel. [phone], Hauptstr. 12, 10115 Berlin"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("personalData")
  void replacesPersonalData(String text, String expected) {
    assertEquals(expected, Scrubber.scrub(text));
    assertTrue(Scrubber.containsPii(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "We are 5 people",
      "Somos 20 familias en el barrio",
      "لدينا ٣ أطفال",
      "ما ۴ نفر هستیم و ۲ بچه داریم",
      "আমরা ৫ জন, ২ শিশু",
      "Нас 5 осіб, з них 2 дітей",
      "Arrived in 2026",
      "Termin am 24.11.2026 um 10:30",
      "Appointment on 2026-11-24 at 10:30, then 11/24/2026 again",
      "Rendez-vous le 24/11/2026 à 14h30, salle 12",
      "Hauptstr. 12, 10115 Berlin",
      "Hauptstr. 120 10115 Berlin",
      "D-10115 Berlin",
      "Miete 30 € pro Tag",
      "Alquiler 1.500.000 pesos",
      "Berlin has 3 700 000 inhabitants",
      "In an emergency call 112 or 911",
      "Hilfetelefon 116 016 und 116117",
      "Open 9.00-17.00, meeting 14:00-15:30 in room 204",
      "Courses in 2025-2026 and 2026-2027",
      "Kids aged 10 12 14 16",
      "Ages 3, 5 and 8, flat 3, floor 2, 25 m², 10-12 people",
      "Visit https://www.berlin.de/einwanderung/termin?id=123456789&lang=ar for details",
      "Bus 100 or M29 to Alexanderplatz",
      "COVID-19 vaccine, 2 doses",
      "Expediente de 2025 pendiente",
      "Case 4521 is closed",
      "٢٠٢٦/١١/٢٤ الساعة ١٠:٣٠",
      "۱۴۰۵ سال, ۳ نفر"})
  void keepsOrdinaryNumbers(String text) {
    assertEquals(text, Scrubber.scrub(text));
    assertFalse(Scrubber.containsPii(text));
  }

  @Test
  void nullStaysNull() {
    assertNull(Scrubber.scrub(null));
    assertFalse(Scrubber.containsPii(null));
  }

  @Test
  void textWithoutDigitsOrAtSignIsReturnedAsIs() {
    String text = "Necesito ayuda con la vivienda, por favor";
    assertSame(text, Scrubber.scrub(text));
  }

  @Test
  void adversarialInputOfTenThousandCharactersReturns() {
    Random random = new Random(42);
    char[] alphabet = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '-', ' ', '-', '.', '('};
    StringBuilder noise = new StringBuilder(10_000);
    for (int i = 0; i < 10_000; i++) {
      noise.append(alphabet[random.nextInt(alphabet.length)]);
    }
    String scrubbed = Scrubber.scrub(noise.toString());
    assertNotNull(scrubbed);
    assertFalse(Pattern.compile("[0-9]{7}").matcher(scrubbed).find(), "no seven digits in a row survive");

    String[] inputs = {
        "1".repeat(10_000),
        "1-".repeat(5_000),
        "1 ".repeat(5_000),
        "+(".repeat(5_000),
        "a@".repeat(5_000),
        "a.".repeat(4_999) + "@b",
        "x@" + "b.".repeat(4_999),
        "A-1".repeat(3_333),
        "A1".repeat(5_000),
        "DE89 ".repeat(2_000),
        "passport 1 ".repeat(909),
        "ID: 1".repeat(2_000),
        "جواز ١ ".repeat(1_428),
        "11.11.".repeat(1_666),
        "\u0660\u0661 ".repeat(3_333)};
    for (String input : inputs) {
      assertNotNull(Scrubber.scrub(input));
    }
  }
}

package org.welcomeline.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.welcomeline.config.Config;

class ContentCheckTest {
  @TempDir
  Path dir;

  @Test
  void theShippedContentHasNoBrokenStructure() {
    Config c = Config.fromJson(new JsonObject());
    List<ContentCheck.LanguageReport> reports = ContentCheck.run(c.contentDir(), c.localesDir(), c.languages(), "en",
        c.smsSegmentBudget());
    System.out.println(ContentCheck.format(reports));
    assertEquals(c.languages().size(), reports.size());
    for (ContentCheck.LanguageReport r : reports) {
      assertTrue(r.errors().isEmpty(), r.language() + ": " + r.errors());
    }
  }

  @Test
  void brokenFilesAreReportedAsErrorsAndGapsAsWarnings() throws Exception {
    Path content = Files.createDirectories(dir.resolve("content/xx"));
    Path locales = Files.createDirectories(dir.resolve("locales"));
    Files.writeString(locales.resolve("messages_en.properties"),
        "emergency.lead=In danger? Call {number} now.\nhelp=Reply MENU.\n");
    Files.writeString(locales.resolve("messages_xx.properties"),
        "emergency.lead=Danger! Call now.\nhelp=Reply {MENU.\n");
    Files.writeString(content.resolve("services.yaml"), """
        language: xx
        topics:
          emergency:
            review: pending
            sms: "Call the crisis line"
          parking:
            sms: "Park here"
        """);
    Files.writeString(content.resolve("nlu.yml"), """
        version: "3.1"
        nlu:
        - intent: housing
          examples: |
            - a house please
        """);
    ContentCheck.LanguageReport r = ContentCheck.run(dir.resolve("content"), locales, List.of("xx"), "en", 3).get(0);
    String errors = String.join("\n", r.errors());
    assertTrue(errors.contains("unknown topic 'parking'"), errors);
    assertTrue(errors.contains("emergency.lead") && errors.contains("placeholder"), errors);
    assertTrue(errors.contains("locale help: broken ICU"), errors);

    Files.writeString(content.resolve("services.yaml"), """
        language: xx
        topics:
          emergency:
            review: pending
            sms: "Call {emergency_number}. %s"
        """.formatted("Long text here. ".repeat(40)));
    r = ContentCheck.run(dir.resolve("content"), locales, List.of("xx"), "en", 3).get(0);
    String warnings = String.join("\n", r.warnings());
    assertTrue(warnings.contains("emergency.sms is 5 SMS segments (GSM7), over the budget of 3"), warnings);
    assertTrue(warnings.contains("topic 'housing' missing"), warnings);
    assertTrue(warnings.contains("intent 'housing' has only 1 examples"), warnings);
    assertTrue(warnings.contains("intent 'food' has no examples"), warnings);
  }

  /** Found by LoaderFuzzTest: java.util.Properties throws IllegalArgumentException on a broken escape. */
  @Test
  void aBrokenUnicodeEscapeInLocaleStringsIsAnErrorNotACrash() throws Exception {
    Files.createDirectories(dir.resolve("content/xx"));
    Path locales = Files.createDirectories(dir.resolve("locales"));
    Files.writeString(locales.resolve("messages_en.properties"), "help=Reply MENU.\n");
    Files.writeString(locales.resolve("messages_xx.properties"), "help=Reply \\u12G4 MENU.\n");
    ContentCheck.LanguageReport r = ContentCheck.run(dir.resolve("content"), locales, List.of("xx"), "en", 3).get(0);
    String errors = String.join("\n", r.errors());
    assertTrue(errors.contains("messages_xx.properties") && errors.contains("Malformed"), errors);
  }
}

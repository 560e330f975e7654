package org.welcomeline.nlu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Runs the golden utterance files (held-out messages, never used for training) through the real
 * models; prints language-ID and intent accuracy per language and fails below the floors in
 * {@code golden/floors.properties} (set from measurements, a few points under them).
 */
class GoldenAccuracyTest {
  record Line(String intent, String text) {
  }

  static List<Line> golden(String lang) throws IOException {
    Path f = Path.of("src/test/resources/golden/" + lang + ".tsv");
    List<Line> out = new ArrayList<>();
    if (!Files.isRegularFile(f)) {
      return out;
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      String[] parts = line.split("\t", 2);
      if (parts.length == 2 && !parts[0].equals("intent") && !parts[1].isBlank()) {
        out.add(new Line(parts[0].strip(), parts[1].strip()));
      }
    }
    return out;
  }

  @Test
  void accuracyPerLanguageIsAboveFloors() throws Exception {
    Nlu nlu = NluFixture.get();
    Properties floors = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of("src/test/resources/golden/floors.properties"))) {
      floors.load(r);
    }
    StringBuilder report = new StringBuilder("\nlang  n    language-ID  intent\n");
    List<String> failures = new ArrayList<>();
    int total = 0;
    int langOk = 0;
    int intentOk = 0;
    for (String lang : nlu.languages()) {
      List<Line> lines = golden(lang);
      if (lines.isEmpty()) {
        failures.add(lang + ": no golden file");
        continue;
      }
      int l = 0;
      int i = 0;
      for (Line line : lines) {
        if (lang.equals(nlu.detectLanguage(line.text()).language())) {
          l++;
        }
        List<Scored> r = nlu.classify(lang, line.text());
        if (!r.isEmpty() && r.get(0).name().equals(line.intent())) {
          i++;
        }
      }
      double la = (double) l / lines.size();
      double ia = (double) i / lines.size();
      total += lines.size();
      langOk += l;
      intentOk += i;
      report.append(String.format("%-5s %-4d %6.1f%%      %6.1f%%%n", lang, lines.size(), 100 * la, 100 * ia));
      double lf = Double.parseDouble(floors.getProperty(lang + ".language", floors.getProperty("default.language")));
      double inf = Double.parseDouble(floors.getProperty(lang + ".intent", floors.getProperty("default.intent")));
      if (la < lf) {
        failures.add(String.format("%s language-ID %.3f < floor %.3f", lang, la, lf));
      }
      if (ia < inf) {
        failures.add(String.format("%s intent %.3f < floor %.3f", lang, ia, inf));
      }
    }
    report.append(String.format("all   %-4d %6.1f%%      %6.1f%%%n", total, 100.0 * langOk / Math.max(1, total),
        100.0 * intentOk / Math.max(1, total)));
    System.out.println(report);
    assertTrue(failures.isEmpty(), String.join("; ", failures) + report);
  }
}

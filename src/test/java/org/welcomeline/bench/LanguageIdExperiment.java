package org.welcomeline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.welcomeline.config.Config;
import org.welcomeline.content.Locales;
import org.welcomeline.nlu.HybridLanguageDetector;
import org.welcomeline.nlu.LanguageDetector;
import org.welcomeline.nlu.NgramLanguageProfile;
import org.welcomeline.nlu.TextNormalizer;
import org.welcomeline.nlu.TrainingData;

/**
 * Language-ID accuracy on the golden files for detector variants: Lingua low vs high accuracy mode,
 * and the weight of Lingua against the project's n-gram model (0 = n-gram only, 1 = Lingua only
 * where it knows the language). Also reports accuracy on short messages (1-3 words). Results go to
 * docs/benchmarks.md; the chosen setting to docs/decisions.md.
 */
public final class LanguageIdExperiment {
  public static void main(String[] args) throws Exception {
    Config config = Config.fromJson(new io.vertx.core.json.JsonObject());
    List<String> langs = config.languages();
    Locales locales = Locales.load(config.localesDir(), langs, config.defaultLanguage());
    Map<String, List<String>> texts = new HashMap<>();
    for (String l : langs) {
      List<String> all = new ArrayList<>(locales.all(l).values());
      Path f = config.contentDir().resolve(l).resolve("nlu.yml");
      if (Files.isRegularFile(f)) {
        org.welcomeline.nlu.Transliteration.augment(TrainingData.read(l, f)).examples().values().forEach(all::addAll);
      }
      texts.put(l, all);
    }
    NgramLanguageProfile profile = new NgramLanguageProfile(texts);
    List<String[]> golden = new ArrayList<>();
    for (String l : langs) {
      Path f = Path.of("src/test/resources/golden/" + l + ".tsv");
      if (Files.isRegularFile(f)) {
        for (String line : Files.readAllLines(f)) {
          String[] p = line.split("\t", 2);
          if (p.length == 2 && !p[0].equals("intent")) {
            golden.add(new String[] {l, p[1]});
          }
        }
      }
    }
    System.out.printf("%d languages, %d golden messages%n", langs.size(), golden.size());
    System.out.println("mode  lingua_weight  all     short(1-3 words)  us/msg  worst languages");
    for (boolean high : new boolean[] {false, true}) {
      for (double w : new double[] {0.0, 0.3, 0.5, 0.7, 1.0}) {
        Runtime rt = Runtime.getRuntime();
        LanguageDetector d = new HybridLanguageDetector(langs, profile, high, w);
        int ok = 0;
        int shortN = 0;
        int shortOk = 0;
        Map<String, int[]> per = new HashMap<>();
        long t0 = System.nanoTime();
        for (String[] g : golden) {
          boolean right = g[0].equals(d.detect(g[1]).language());
          ok += right ? 1 : 0;
          per.computeIfAbsent(g[0], k -> new int[2])[0] += right ? 1 : 0;
          per.get(g[0])[1]++;
          if (TextNormalizer.tokens(g[1]).size() <= 3) {
            shortN++;
            shortOk += right ? 1 : 0;
          }
        }
        long us = (System.nanoTime() - t0) / 1000 / golden.size();
        StringBuilder worst = new StringBuilder();
        per.entrySet().stream().sorted((a, b) -> Double.compare((double) a.getValue()[0] / a.getValue()[1],
            (double) b.getValue()[0] / b.getValue()[1])).limit(4).forEach(e -> worst.append(String.format(
                "%s=%.0f%% ", e.getKey(), 100.0 * e.getValue()[0] / e.getValue()[1])));
        System.out.printf("%-5s %-14.1f %5.1f%%  %5.1f%% (n=%d)       %-6d  %s%n", high ? "high" : "low", w,
            100.0 * ok / golden.size(), 100.0 * shortOk / Math.max(1, shortN), shortN, us, worst);
      }
    }
  }
}

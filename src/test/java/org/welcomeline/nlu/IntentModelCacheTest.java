package org.welcomeline.nlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cached intent models answer exactly as freshly trained ones; a bad cache is ignored and replaced. */
class IntentModelCacheTest {
  private static final List<String> PROBES = List.of("i need a doctor", "where can i find work", "hello",
      "necesito comida", "trabajo por favor", "hola amigo", "food bank", "");

  static List<TrainingData> data() {
    Map<String, List<String>> en = new LinkedHashMap<>();
    en.put("health", List.of("i need a doctor", "my child is sick", "where is the hospital", "clinic near me"));
    en.put("employment", List.of("i need a job", "looking for work", "how to find a job", "any work for me"));
    en.put("greeting", List.of("hello", "hi there", "good morning", "hey"));
    Map<String, List<String>> es = new LinkedHashMap<>();
    es.put("food", List.of("necesito comida", "banco de alimentos", "tengo hambre", "donde comer gratis"));
    es.put("employment", List.of("busco trabajo", "necesito empleo", "hay trabajo", "quiero trabajar"));
    return List.of(new TrainingData("en", en), new TrainingData("es", es));
  }

  static List<List<Scored>> answers(IntentClassifier c) {
    List<List<Scored>> out = new ArrayList<>();
    for (String lang : List.of("en", "es")) {
      for (String p : PROBES) {
        out.add(c.rank(lang, p));
      }
    }
    return out;
  }

  static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void aCachedModelAnswersLikeATrainedOne(@TempDir Path dir) throws Exception {
    List<List<Scored>> trained = answers(OpenNlpIntentClassifier.train(data()));
    assertEquals(trained, answers(OpenNlpIntentClassifier.train(data(), dir)), "first run trains and stores");
    List<Path> stored = files(dir);
    assertEquals(2, stored.size(), stored.toString());
    long modified = Files.getLastModifiedTime(stored.get(0)).toMillis();
    assertEquals(trained, answers(OpenNlpIntentClassifier.train(data(), dir)), "second run loads");
    assertEquals(stored, files(dir));
    assertEquals(modified, Files.getLastModifiedTime(stored.get(0)).toMillis(), "loaded, not rewritten");
  }

  @Test
  void aCorruptOrForeignCacheFileIsIgnoredAndReplaced(@TempDir Path dir) throws Exception {
    List<List<Scored>> trained = answers(OpenNlpIntentClassifier.train(data()));
    OpenNlpIntentClassifier.train(data(), dir);
    List<Path> stored = files(dir);
    Path en = stored.stream().filter(p -> p.getFileName().toString().startsWith("intent-en-")).findFirst().orElseThrow();
    Path es = stored.stream().filter(p -> p.getFileName().toString().startsWith("intent-es-")).findFirst().orElseThrow();
    byte[] good = Files.readAllBytes(en);
    Files.write(en, java.util.Arrays.copyOf(good, good.length / 2)); // truncated
    Files.copy(en, es, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // and Spanish's file holds garbage
    assertEquals(trained, answers(OpenNlpIntentClassifier.train(data(), dir)));
    assertTrue(Files.size(en) > good.length / 2, "rewritten");
    Files.copy(en, es, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // a valid model of the wrong language
    assertEquals(trained, answers(OpenNlpIntentClassifier.train(data(), dir)));
    assertNotEquals(-1, Files.mismatch(en, es), "Spanish retrained");
  }

  @Test
  void otherDataGetsItsOwnFileAndTheOldOneGoes(@TempDir Path dir) throws Exception {
    OpenNlpIntentClassifier.train(data(), dir);
    List<Path> before = files(dir);
    List<TrainingData> changed = new ArrayList<>(data());
    Map<String, List<String>> en = new LinkedHashMap<>(changed.get(0).examples());
    en.put("greeting", List.of("hello", "hi there", "good morning", "hey", "good evening"));
    changed.set(0, new TrainingData("en", en));
    IntentClassifier c = OpenNlpIntentClassifier.train(changed, dir);
    assertEquals(answers(OpenNlpIntentClassifier.train(changed)), answers(c));
    List<Path> after = files(dir);
    assertEquals(2, after.size(), after.toString());
    assertTrue(after.contains(before.stream().filter(p -> p.toString().contains("intent-es-")).findFirst().orElseThrow()));
    assertTrue(!after.containsAll(before), "English file replaced");
  }

  @Test
  void anUnwritableCacheOnlyCostsTime(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-a-directory");
    Files.writeString(file, "x");
    assertEquals(answers(OpenNlpIntentClassifier.train(data())), answers(OpenNlpIntentClassifier.train(data(), file)));
  }
}

package org.welcomeline.nlu;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Residents often type Russian and Ukrainian in Latin letters ("nuzhen vrach", "potribna robota").
 * The project's examples are mostly in Cyrillic, so training adds Latin copies made with ICU's
 * BGN/PCGN transliterators (folded to ASCII, as phones type) for both the language model and the
 * intent classifier.
 */
public final class Transliteration {
  private static final Map<String, String> TRANSLITERATORS = Map.of(
      "ru", "Russian-Latin/BGN; Latin-ASCII",
      "uk", "Ukrainian-Latin/BGN; Latin-ASCII");

  private Transliteration() {
  }

  /** Latin copies of {@code texts} for languages that have a transliterator, else an empty list. */
  public static List<String> latinCopies(String language, List<String> texts) {
    String id = TRANSLITERATORS.get(language);
    if (id == null) {
      return List.of();
    }
    Transliterator t = Transliterator.getInstance(id);
    List<String> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      String latin = t.transliterate(text).replace("'", "");
      if (!latin.equals(text)) {
        out.add(latin);
      }
    }
    return out;
  }

  /** The training data plus Latin copies of every example (unchanged for other languages). */
  public static TrainingData augment(TrainingData data) {
    if (!TRANSLITERATORS.containsKey(data.language())) {
      return data;
    }
    Map<String, List<String>> examples = new LinkedHashMap<>();
    data.examples().forEach((intent, texts) -> {
      List<String> all = new ArrayList<>(texts);
      all.addAll(latinCopies(data.language(), texts));
      examples.put(intent, all);
    });
    return new TrainingData(data.language(), examples);
  }
}

package org.welcomeline.nlu;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import opennlp.tools.doccat.FeatureGenerator;

/**
 * Character n-grams of each token, with word-boundary marks, so that typos, missing accents and
 * inflections still share most features ("abogado" / "abogao" / "avogado").
 */
public final class CharNGramFeatureGenerator implements FeatureGenerator {
  private final int min;
  private final int max;

  public CharNGramFeatureGenerator() {
    this(2, 5);
  }

  public CharNGramFeatureGenerator(int min, int max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Collection<String> extractFeatures(String[] tokens, Map<String, Object> extraInformation) {
    List<String> out = new ArrayList<>();
    for (String tok : tokens) {
      if (tok.startsWith("#")) {
        continue;
      }
      int[] cps = ("<" + tok + ">").codePoints().toArray();
      for (int n = min; n <= max; n++) {
        for (int i = 0; i + n <= cps.length; i++) {
          out.add("c=" + new String(cps, i, n));
        }
      }
    }
    return out;
  }
}

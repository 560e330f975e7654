package org.welcomeline.nlu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.welcomeline.config.Config;
import org.welcomeline.content.Locales;

/** The project's real NLU, trained once per test JVM from content/ and locales/. */
public final class NluFixture {
  private static Nlu nlu;

  private NluFixture() {
  }

  public static synchronized Nlu get() throws Exception {
    if (nlu == null) {
      Config config = Config.fromJson(new io.vertx.core.json.JsonObject());
      List<String> langs = config.languages();
      Locales locales = Locales.load(config.localesDir(), langs, config.defaultLanguage());
      List<TrainingData> data = new ArrayList<>();
      Map<String, List<String>> extra = new HashMap<>();
      for (String l : langs) {
        Path f = config.contentDir().resolve(l).resolve("nlu.yml");
        if (Files.isRegularFile(f)) {
          data.add(TrainingData.read(l, f));
        }
        extra.put(l, new ArrayList<>(locales.all(l).values()));
      }
      nlu = Nlu.train(langs, data, extra, false);
    }
    return nlu;
  }
}

package org.welcomeline.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.welcomeline.content.ContentCatalog;
import org.welcomeline.content.ContentCheck;
import org.welcomeline.nlu.TrainingData;

/**
 * Fuzzes the loaders of what a city edits: NLU YAML, services YAML and the content check over
 * them. A broken file must give an IOException with a message (a clear error), never anything else.
 */
class LoaderFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("welcomeline-fuzz");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void nluYamlGivesDataOrAClearError(FuzzedDataProvider data) throws Exception {
    Path file = DIR.resolve("nlu.yml");
    Files.writeString(file, data.consumeRemainingAsString());
    try {
      TrainingData.read("xx", file);
    } catch (IOException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("an error without a message", e);
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void servicesYamlGivesContentOrAClearError(FuzzedDataProvider data) throws Exception {
    Path lang = DIR.resolve("content").resolve("xx");
    Files.createDirectories(lang);
    Path locales = DIR.resolve("locales");
    Files.createDirectories(locales);
    Files.writeString(lang.resolve("services.yaml"), data.consumeString(4000));
    Files.writeString(locales.resolve("messages_xx.properties"), data.consumeRemainingAsString());
    Files.writeString(locales.resolve("messages_en.properties"), "help=Reply MENU.\n");
    try {
      ContentCatalog.read(lang.resolve("services.yaml"));
    } catch (IOException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("an error without a message", e);
      }
    }
    // the content check reports problems as lines; it must never crash on a broken file
    ContentCheck.format(ContentCheck.run(DIR.resolve("content"), locales, List.of("xx"), "en", 3));
  }
}

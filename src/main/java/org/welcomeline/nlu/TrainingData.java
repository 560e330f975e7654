package org.welcomeline.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Intent examples of one language, read from Rasa's NLU YAML format
 * ({@code nlu: - intent: x  examples: | - text}). Blocking file IO: call from a worker.
 */
public record TrainingData(String language, Map<String, List<String>> examples) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static TrainingData read(String language, Path file) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.path("nlu").isArray()) {
      throw new IOException(file + ": expected a top-level 'nlu' list (Rasa NLU YAML format)");
    }
    Map<String, List<String>> examples = new LinkedHashMap<>();
    for (JsonNode entry : root.path("nlu")) {
      if (!entry.has("intent")) {
        continue; // synonyms, regexes, lookups: not used
      }
      String intent = entry.path("intent").asText();
      if (!Intents.ALL.contains(intent)) {
        throw new IOException(file + ": unknown intent '" + intent + "'; allowed: " + Intents.ALL);
      }
      List<String> list = examples.computeIfAbsent(intent, k -> new ArrayList<>());
      for (String line : entry.path("examples").asText("").split("\n")) {
        String t = line.strip();
        if (t.startsWith("- ")) {
          t = t.substring(2).strip();
        } else if (t.equals("-")) {
          continue;
        }
        if (!t.isEmpty()) {
          list.add(t);
        }
      }
    }
    return new TrainingData(language, examples);
  }

  public int size() {
    return examples.values().stream().mapToInt(List::size).sum();
  }
}

package org.welcomeline.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.welcomeline.nlu.Intents;

/** Service answers per language and topic, from {@code content/<lang>/services.yaml}. Immutable. */
public final class ContentCatalog {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Map<String, Map<String, ServiceInfo>> services;

  public ContentCatalog(Map<String, Map<String, ServiceInfo>> services) {
    this.services = Map.copyOf(services);
  }

  /** Reads the services files of the languages that have one. Blocking IO. */
  public static ContentCatalog load(Path contentDir, List<String> languages) throws IOException {
    Map<String, Map<String, ServiceInfo>> all = new HashMap<>();
    for (String lang : languages) {
      Path file = contentDir.resolve(lang).resolve("services.yaml");
      if (Files.isRegularFile(file)) {
        all.put(lang, read(file));
      }
    }
    return new ContentCatalog(all);
  }

  public static Map<String, ServiceInfo> read(Path file) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.path("topics").isObject()) {
      throw new IOException(file + ": expected a 'topics' map");
    }
    Map<String, ServiceInfo> out = new LinkedHashMap<>();
    var it = root.path("topics").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!Intents.isTopic(e.getKey())) {
        throw new IOException(file + ": unknown topic '" + e.getKey() + "'; allowed: " + Intents.TOPICS);
      }
      JsonNode n = e.getValue();
      out.put(e.getKey(), new ServiceInfo(e.getKey(), n.path("title").asText(""), n.path("sms").asText(""),
          n.path("web").asText(""), n.path("contact").asText(""), n.path("address").asText(""),
          n.path("hours").asText(""), n.path("review").asText("pending")));
    }
    return out;
  }

  public Optional<ServiceInfo> find(String language, String topic) {
    ServiceInfo s = services.getOrDefault(language, Map.of()).get(topic);
    return s == null || s.sms().isBlank() ? Optional.empty() : Optional.of(s);
  }

  public boolean has(String language) {
    return services.containsKey(language);
  }
}

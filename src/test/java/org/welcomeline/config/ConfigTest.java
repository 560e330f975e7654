package org.welcomeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsAreSaneAndLanguagesComeFromContent() {
    Config c = Config.fromJson(new JsonObject());
    assertEquals(8080, c.httpPort());
    assertEquals("en", c.defaultLanguage());
    assertTrue(c.languages().contains("en") && c.languages().contains("es"), c.languages().toString());
    assertTrue(c.databaseUrl().isEmpty());
  }

  @Test
  void badValueNamesTheKeyAndItsEnvironmentVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.fromJson(new JsonObject().put("http_port", "eighty")));
    assertTrue(e.getMessage().contains("http_port") && e.getMessage().contains("WELCOMELINE_HTTP_PORT"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> Config.fromJson(new JsonObject().put("intent_threshold", "2")));
    assertTrue(e.getMessage().contains("intent_threshold"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> Config.fromJson(new JsonObject().put("database_url", "mysql://x")));
    assertTrue(e.getMessage().contains("database_url"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> Config.fromJson(new JsonObject().put("default_language", "xx")));
    assertTrue(e.getMessage().contains("default_language"), e.getMessage());
  }

  @Test
  void environmentNamesMapToFileKeys() {
    JsonObject env = Config.fromEnvironment(Map.of("WELCOMELINE_HTTP_PORT", "9000", "TWILIO_AUTH_TOKEN", "t",
        "HOME", "/root"));
    assertEquals("9000", env.getString("http_port"));
    assertEquals("t", env.getString("twilio_auth_token"));
    assertEquals(2, env.size());
    assertEquals(9000, Config.fromJson(env).httpPort());
  }

  @Test
  void explicitLanguageListIsValidated() {
    assertEquals(List.of("en", "es"), Config.fromJson(new JsonObject().put("languages", "en, es")).languages());
    assertThrows(ConfigException.class, () -> Config.fromJson(new JsonObject().put("languages", "en,ES!")));
  }

  @Test
  void districtsAndClusterMembersAreCommaListsCheckedItemByItem() {
    Config c = Config.fromJson(new JsonObject().put("districts", " North, old_town ,,")
        .put("cluster_members", "10.0.0.1:5701, db-2.internal:5702"));
    assertEquals(List.of("north", "old_town"), c.districts());
    assertEquals(List.of("10.0.0.1:5701", "db-2.internal:5702"), c.clusterMembers());
    assertTrue(assertThrows(ConfigException.class, () -> Config.fromJson(new JsonObject().put("districts", "north,<b>")))
        .getMessage().contains("districts"));
    assertTrue(assertThrows(ConfigException.class, () -> Config.fromJson(new JsonObject()
        .put("cluster_members", "10.0.0.1:5701;rm -rf"))).getMessage().contains("cluster_members"));
    assertEquals(List.of(), Config.fromJson(new JsonObject()).clusterMembers(), "single instance by default");
  }
}

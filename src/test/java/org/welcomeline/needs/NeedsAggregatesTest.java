package org.welcomeline.needs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.welcomeline.store.Needs;

/** k-suppression of the district × language table, daily series, and grouping of similar reports. */
class NeedsAggregatesTest {
  private static final long DAY = 86_400_000L;
  private static final long T0 = 1_795_000_000_000L - Math.floorMod(1_795_000_000_000L, DAY); // a midnight UTC

  private static Needs.Need need(String id, String topic, String district, String language, long at) {
    return new Needs.Need(id, id, "association", null, null, null, null, topic, language, district, null, null,
        "text", "new", null, at, at);
  }

  @Test
  void cellsBelowKAreSuppressedEverywhereInTheCrossTableButTotalsStay() {
    List<Needs.Need> list = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      list.add(need("a" + i, "housing", "north", "ar", T0 + i * 3_600_000L));
    }
    for (int i = 0; i < 4; i++) {
      list.add(need("t" + i, "housing", "north", "ti", T0 + DAY + i));
    }
    list.add(need("x", "food", null, "ps", T0 + 2 * DAY));
    JsonObject s = NeedsAggregates.aggregate(list, T0, T0 + 2 * DAY + 1, 5);
    JsonArray cross = s.getJsonArray("by_district_language");
    assertEquals(3, cross.size());
    assertEquals(new JsonObject().put("district", "north").put("language", "ar").put("count", 7),
        cell(cross, "north", "ar"));
    JsonObject ti = cell(cross, "north", "ti");
    assertNull(ti.getValue("count"));
    assertTrue(ti.getBoolean("suppressed"));
    JsonObject ps = cell(cross, "none", "ps");
    assertTrue(ps.getBoolean("suppressed"), "one report is far below k: " + ps.encode());
    assertEquals(3, s.getJsonArray("days").size());
    assertEquals(new JsonArray().add(7).add(4).add(0), s.getJsonObject("by_day").getJsonArray("housing"));
    assertEquals(new JsonArray().add(0).add(0).add(1), s.getJsonObject("by_day").getJsonArray("food"));
    assertEquals(11, s.getJsonObject("by_topic").getInteger("housing"));
    assertEquals(1, s.getJsonObject("by_district").getInteger("none"));

    JsonObject k1 = NeedsAggregates.aggregate(list, T0, T0 + 2 * DAY + 1, 1);
    assertEquals(1, cell(k1.getJsonArray("by_district_language"), "none", "ps").getInteger("count"), "k=1 shows all");
  }

  private static JsonObject cell(JsonArray cells, String district, String language) {
    return cells.stream().map(o -> (JsonObject) o).filter(c -> c.getString("district").equals(district)
        && c.getString("language").equals(language)).findFirst().orElseThrow();
  }

  @Test
  void similarReportsGroupWithinTheWindowAcrossLanguagesOnly() {
    List<Needs.Need> list = List.of(
        need("1", "food", "south", "ar", T0),
        need("2", "food", "south", "en", T0 + 6 * DAY),
        need("3", "food", "south", "so", T0 + 12 * DAY), // 6 days after the previous: still the same run
        need("4", "food", "south", "en", T0 + 30 * DAY), // 18 days later: a new, single report
        need("5", "food", "north", "ar", T0 + DAY), // another district
        need("6", "health", "south", "ar", T0 + DAY)); // another topic
    Map<String, String> groupOf = new HashMap<>();
    JsonArray groups = NeedsAggregates.groups(new ArrayList<>(list), 7 * DAY, groupOf);
    assertEquals(1, groups.size(), groups.encode());
    JsonObject g = groups.getJsonObject(0);
    assertEquals(3, g.getInteger("count"));
    assertEquals(List.of("ar", "en", "so"), g.getJsonArray("languages").getList());
    assertEquals(List.of("1", "2", "3"), g.getJsonArray("need_ids").getList());
    assertEquals(groupOf.get("1"), groupOf.get("3"));
    assertTrue(!groupOf.get("4").equals(groupOf.get("1")), "outside the window");
  }

  @Test
  void exportedCellsCannotBecomeSpreadsheetFormulas() {
    assertEquals("'=HYPERLINK(\"http://x\")", NeedsAggregates.cell("=HYPERLINK(\"http://x\")"));
    assertEquals("'+1 555", NeedsAggregates.cell("+1 555"));
    assertEquals("'@SUM(A1)", NeedsAggregates.cell("@SUM(A1)"));
    assertEquals("Food for 5", NeedsAggregates.cell("Food for 5"));
    assertNull(NeedsAggregates.cell(null));
  }
}

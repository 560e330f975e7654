package org.welcomeline.needs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.welcomeline.store.Needs;

/**
 * What officials see of many reports: counts by day, topic, district and language with small
 * district × language groups suppressed, similar reports grouped, and export cells that cannot turn
 * into spreadsheet formulas. Pure functions over stored reports.
 */
public final class NeedsAggregates {
  private static final long DAY = 86_400_000L;

  private NeedsAggregates() {
  }

  private static long startOfDay(long ms) {
    return ms - Math.floorMod(ms, DAY);
  }

  /**
   * Similar reports: the same topic and district, each within the window of the previous one,
   * whatever their language. Only groups of two or more are returned.
   */
  public static JsonArray groups(List<Needs.Need> list, long window, Map<String, String> groupOf) {
    Map<String, List<Needs.Need>> byKey = new TreeMap<>();
    for (Needs.Need n : list) {
      byKey.computeIfAbsent(n.topic() + "|" + (n.district() == null ? "" : n.district()), k -> new ArrayList<>())
          .add(n);
    }
    JsonArray out = new JsonArray();
    for (List<Needs.Need> same : byKey.values()) {
      same.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
      List<Needs.Need> run = new ArrayList<>();
      for (Needs.Need n : same) {
        if (!run.isEmpty() && n.createdAt() - run.get(run.size() - 1).createdAt() > window) {
          addGroup(out, run, groupOf);
          run = new ArrayList<>();
        }
        run.add(n);
      }
      addGroup(out, run, groupOf);
    }
    return out;
  }

  private static void addGroup(JsonArray out, List<Needs.Need> run, Map<String, String> groupOf) {
    if (run.isEmpty()) {
      return;
    }
    String id = "g-" + run.get(0).id();
    run.forEach(n -> groupOf.put(n.id(), id));
    if (run.size() < 2) {
      return;
    }
    Set<String> languages = new LinkedHashSet<>();
    Map<String, Integer> statuses = new TreeMap<>();
    JsonArray ids = new JsonArray();
    for (Needs.Need n : run) {
      languages.add(n.language());
      statuses.merge(n.status(), 1, Integer::sum);
      ids.add(n.id());
    }
    Needs.Need first = run.get(0);
    out.add(new JsonObject().put("id", id).put("topic", first.topic()).put("district", first.district())
        .put("count", run.size()).put("languages", new JsonArray(new ArrayList<>(languages)))
        .put("statuses", new JsonObject(new LinkedHashMap<>(statuses))).put("first_at", first.createdAt())
        .put("last_at", run.get(run.size() - 1).createdAt()).put("need_ids", ids));
  }

  /**
   * Counts by day and topic, by topic, district and language, and the district × language table in
   * which any cell below {@code k} is suppressed (shown as null with suppressed=true).
   */
  public static JsonObject aggregate(List<Needs.Need> list, long since, long now, int k) {
    List<String> days = new ArrayList<>();
    for (long d = startOfDay(since); d <= now; d += DAY) {
      days.add(LocalDate.ofEpochDay(d / DAY).toString());
    }
    Map<String, int[]> byDay = new TreeMap<>();
    Map<String, Integer> byTopic = new TreeMap<>();
    Map<String, Integer> byDistrict = new TreeMap<>();
    Map<String, Integer> byLanguage = new TreeMap<>();
    Map<String, Integer> cross = new TreeMap<>();
    for (Needs.Need n : list) {
      int day = (int) ((startOfDay(n.createdAt()) - startOfDay(since)) / DAY);
      if (day >= 0 && day < days.size()) {
        byDay.computeIfAbsent(n.topic(), t -> new int[days.size()])[day]++;
      }
      String district = n.district() == null ? "none" : n.district();
      byTopic.merge(n.topic(), 1, Integer::sum);
      byDistrict.merge(district, 1, Integer::sum);
      byLanguage.merge(n.language(), 1, Integer::sum);
      cross.merge(district + "\u0000" + n.language(), 1, Integer::sum);
    }
    JsonObject series = new JsonObject();
    byDay.forEach((t, counts) -> {
      JsonArray a = new JsonArray();
      for (int c : counts) {
        a.add(c);
      }
      series.put(t, a);
    });
    JsonArray table = new JsonArray();
    cross.forEach((key, count) -> {
      String[] parts = key.split("\u0000", 2);
      JsonObject cell = new JsonObject().put("district", parts[0]).put("language", parts[1]);
      table.add(count < k ? cell.putNull("count").put("suppressed", true) : cell.put("count", count));
    });
    return new JsonObject().put("k", k).put("days", new JsonArray(days)).put("by_day", series)
        .put("by_topic", new JsonObject(new LinkedHashMap<>(byTopic)))
        .put("by_district", new JsonObject(new LinkedHashMap<>(byDistrict)))
        .put("by_language", new JsonObject(new LinkedHashMap<>(byLanguage)))
        .put("by_district_language", table);
  }

  /** Spreadsheet formula injection: a cell starting with = + - @ is prefixed with an apostrophe. */
  public static String cell(String v) {
    if (v != null && !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      return "'" + v;
    }
    return v;
  }
}

package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.store.StaffStore.Role;
import org.welcomeline.web.Browser;

/**
 * The community-needs dashboard in real headless Chromium at 1280 px, fed through the associations' API:
 * scrubbed and escaped report text, filters and their export links, charts, the k-suppressed district ×
 * language table, the CSV download, live updates and an admin's status change.
 */
class NeedsPageIT {
  private static final String TITLE = "Welcomeline · Community needs";
  private static final String PHONE = "+44 7700 900456";
  private static final String HOSTILE = "<script>document.title='pwned'</script>"
      + "<img src=x onerror=\"document.title='pwned'\"> Legal aid for 4 asylum seekers";
  /**
   * Installed before any page script runs (CDP), so errors while loading count too: uncaught errors,
   * failed scripts (capture phase), unhandled rejections, console.error and CSP violations.
   */
  private static final String ERROR_TRAP = "window.__errors = [];"
      + "window.addEventListener('error', function (e) { window.__errors.push('error: ' + (e.message"
      + "  || (e.target && (e.target.src || e.target.href)) || e.type)); }, true);"
      + "window.addEventListener('unhandledrejection', function (e) { window.__errors.push('rejection: '"
      + "  + (e.reason && e.reason.message || e.reason)); });"
      + "window.addEventListener('securitypolicyviolation', function (e) { window.__errors.push('csp: '"
      + "  + e.violatedDirective + ' ' + e.blockedURI); });"
      + "(function () { var ce = console.error; console.error = function () {"
      + "  window.__errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));"
      + "  return ce.apply(console, arguments); }; })();";
  /** The rows of the reports table as {code, topic, text, status}: read at once, never stale. */
  private static final String ROWS = "return Array.prototype.map.call(document.querySelectorAll('#needs-rows tr.need'),"
      + " function (tr) { function c(l) { var td = tr.querySelector('td[data-label=\"' + l + '\"]');"
      + "   return td ? td.textContent : null; }"
      + "  var s = tr.querySelector('select.status');"
      + "  return { code: c('Code'), topic: c('Topic'), text: c('Report'), status: s ? s.value : null }; });";

  static TestServer server;
  static ChromeDriver browser;
  static StaffApi admin;
  static String adminName;
  static String key;
  static String phoneCode;
  static String hostileCode;
  static String healthCode;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get(Engine.SQLITE);
    browser = Browser.start(1280, 900);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_TRAP));

    adminName = StaffApi.newUser(server, Role.ADMIN);
    admin = new StaffApi(server);
    assertEquals(200, admin.login(adminName, StaffApi.PASSWORD).statusCode());
    key = NeedsIT.register(server, admin, "Legal aid circle " + UUID.randomUUID().toString().substring(0, 8));
    phoneCode = post(new JsonObject().put("text", "Immigration lawyer needed for 3 families, call Omar on " + PHONE)
        .put("topic", "legal").put("language", "en").put("district", "south").put("people", 12)
        .put("urgency", "week"));
    hostileCode = post(new JsonObject().put("text", HOSTILE).put("topic", "legal").put("language", "ar")
        .put("district", "south"));
    healthCode = post(new JsonObject().put("text", "Necesitamos un médico para 6 familias").put("topic", "health")
        .put("language", "es").put("district", "north").put("people", 6));

    // signed out first, whatever the browser held: the dashboard asks to log in
    browser.get(url("/console/needs"));
    assertTrue(browser.getCurrentUrl().endsWith("/console/needs/"), browser.getCurrentUrl());
    browser.manage().deleteAllCookies();
    browser.navigate().refresh();
    waitUpTo(10).until(d -> d.findElement(By.id("login-needed")).isDisplayed());
    assertFalse(browser.findElement(By.id("dashboard")).isDisplayed());

    browser.get(url("/console/"));
    waitUpTo(10).until(d -> d.findElement(By.id("login-view")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys(adminName);
    browser.findElement(By.id("password")).sendKeys(StaffApi.PASSWORD);
    browser.findElement(By.id("login")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("inbox-view")).isDisplayed());
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (browser != null) {
      browser.quit();
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  static WebDriverWait waitUpTo(int seconds) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class); // a live reload may redraw the table at any time
    return wait;
  }

  /** Posts one need with the association's key; returns its code. */
  static String post(JsonObject need) throws Exception {
    HttpResponse<Buffer> r = NeedsIT.postJson(server, key, need);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("code");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rows() {
    return (List<Map<String, Object>>) browser.executeScript(ROWS);
  }

  static List<String> codes() {
    return rows().stream().map(r -> (String) r.get("code")).toList();
  }

  /** Opens the dashboard and waits until the reports of this test are listed. */
  static void open(String query) {
    browser.get(url("/console/needs/" + query));
    waitUpTo(15).until(d -> d.findElement(By.id("dashboard")).isDisplayed() && codes().contains(phoneCode));
    assertEquals(TITLE, browser.getTitle());
  }

  @SuppressWarnings("unchecked")
  static void assertNoScriptErrors() {
    List<String> errors = (List<String>) browser.executeScript("return window.__errors || ['error trap missing'];");
    assertEquals(List.of(), errors, "no JavaScript errors on the page");
  }

  @Test
  void reportsAreScrubbedEscapedFilteredChartedAndExported() throws Exception {
    open("");
    assertTrue(browser.findElement(By.id("who")).getText().startsWith(adminName));
    assertTrue(codes().containsAll(List.of(phoneCode, hostileCode, healthCode)), codes().toString());

    // personal data never reaches the page; markup in a report is text and never runs
    String visible = browser.findElement(By.tagName("body")).getText();
    String all = (String) browser.executeScript("return document.documentElement.textContent;");
    for (String page : List.of(visible, all)) {
      assertFalse(page.contains("7700") || page.contains("900456"), "no phone number in the page");
    }
    Map<String, Object> phoneRow = rows().stream().filter(r -> phoneCode.equals(r.get("code"))).findFirst()
        .orElseThrow();
    assertTrue(((String) phoneRow.get("text")).contains("call Omar on [phone]"), phoneRow.toString());
    assertTrue(visible.contains(HOSTILE), "the report is shown as written, as text");
    assertTrue(browser.findElements(By.cssSelector("#needs-rows img, #needs-rows script, #group-list img"))
        .isEmpty(), "no element made from a report");
    assertEquals(TITLE, browser.getTitle(), "the script in a report never ran");

    // filters: the last 7 days, then one topic; every row shown has it, and so do the export links
    new Select(browser.findElement(By.id("f-days"))).selectByValue("7");
    new Select(browser.findElement(By.id("f-topic"))).selectByValue("legal");
    waitUpTo(10).until(d -> {
      List<Map<String, Object>> rows = rows();
      return !rows.isEmpty() && rows.stream().allMatch(r -> "Legal".equals(r.get("topic")))
          && codes().contains(hostileCode);
    });
    assertFalse(codes().contains(healthCode), "a report about another topic is filtered out");
    for (String id : List.of("export-csv", "export-json")) {
      String href = browser.findElement(By.id(id)).getAttribute("href");
      assertTrue(href.contains("topic=legal") && href.contains("days=7"), id + ": " + href);
    }
    assertTrue(browser.getCurrentUrl().contains("topic=legal"), "the filters are in the address, to share");

    // charts: Chart.js drew on each canvas, and the time chart has the filtered topic
    waitUpTo(10).until(d -> Boolean.TRUE.equals(browser.executeScript(
        "var c = window.Chart && Chart.getChart(document.getElementById('chart-time'));"
            + "return !!c && c.data.datasets.some(function (d) { return d.label === 'Legal'; });")));
    for (String canvas : List.of("chart-time", "chart-district", "chart-language")) {
      assertEquals(Boolean.TRUE, browser.executeScript("return window.Chart !== undefined"
          + " && Chart.getChart(document.getElementById(arguments[0])) != null;", canvas), canvas);
    }
    assertFalse(browser.findElement(By.id("charts-unavailable")).isDisplayed());
    assertEquals(Boolean.TRUE, browser.executeScript("return Chart.getChart('chart-district').data.labels"
        + ".indexOf('South') >= 0;"));

    // district × language: one English report about legal help in the south is below k = 5
    String cell = (String) browser.executeScript(
        "var head = Array.prototype.map.call(document.querySelectorAll('#cross-head th'), function (th) {"
            + "  return th.textContent; });"
            + "var col = head.findIndex(function (t) { return t.indexOf('(en)') >= 0; });"
            + "var row = Array.prototype.find.call(document.querySelectorAll('#cross-rows tr'), function (tr) {"
            + "  return tr.querySelector('th') && tr.querySelector('th').textContent === 'South'; });"
            + "if (col < 1 || !row) { return null; }"
            + "var td = row.children[col]; return td.className + '|' + td.textContent;");
    assertEquals("num suppressed|< 5", cell);
    assertTrue(browser.findElement(By.id("k-note")).getText().contains("fewer than 5"));

    Files.createDirectories(Path.of("target/screenshots"));
    Files.write(Path.of("target/screenshots/needs-dashboard.png"), browser.getScreenshotAs(OutputType.BYTES));

    // the CSV download, fetched as the page would with its session
    @SuppressWarnings("unchecked")
    Map<String, Object> csv = (Map<String, Object>) browser.executeAsyncScript(
        "var done = arguments[arguments.length - 1];"
            + "fetch(document.getElementById('export-csv').href, { credentials: 'same-origin' }).then(function (r) {"
            + "  return r.text().then(function (t) { done({ status: r.status,"
            + "    disposition: r.headers.get('Content-Disposition'), type: r.headers.get('Content-Type'), body: t });"
            + "  }); }).catch(function (e) { done({ status: -1, body: String(e) }); });");
    assertEquals(200L, csv.get("status"), String.valueOf(csv.get("body")));
    assertTrue(((String) csv.get("disposition")).startsWith("attachment; filename=\"needs-"), csv.toString());
    assertTrue(((String) csv.get("type")).startsWith("text/csv"), csv.toString());
    String body = (String) csv.get("body");
    assertEquals("code,created_at,source,association,topic,language,district,people,urgency,status,text",
        body.split("\r\n")[0]);
    assertTrue(body.contains(phoneCode) && body.contains(hostileCode), body);
    assertFalse(body.contains(healthCode), "the export follows the filters");
    assertFalse(body.contains("7700"), "no phone number in the export");

    assertEquals(TITLE, browser.getTitle());
    assertNoScriptErrors();
  }

  @Test
  void newReportsArriveLiveAndAnAdminResolvesOne() throws Exception {
    open("?topic=legal&days=7");
    assertEquals("legal", new Select(browser.findElement(By.id("f-topic"))).getFirstSelectedOption()
        .getAttribute("value"), "filters are read from the address");
    waitUpTo(10).until(d -> d.findElement(By.id("live-status")).getText().equals("Live updates on."));

    String liveCode = post(new JsonObject().put("text", "Un avocat pour une famille de 5 personnes")
        .put("topic", "legal").put("language", "fr").put("district", "center").put("people", 5));
    waitUpTo(30).until(d -> codes().contains(liveCode));
    assertFalse(browser.findElement(By.id("live")).getText().isBlank(), "the change is announced");

    // an admin resolves the report with the phone number through the page
    String row = "//tbody[@id='needs-rows']/tr[td[@data-label='Code' and text()='" + phoneCode + "']]";
    waitUpTo(10).until(d -> {
      WebElement tr = d.findElement(By.xpath(row));
      new Select(tr.findElement(By.cssSelector("select.status"))).selectByValue("resolved");
      WebElement save = tr.findElement(By.cssSelector("button.save"));
      if (!save.isEnabled()) {
        return false;
      }
      save.click();
      return true;
    });
    waitUpTo(10).until(d -> d.findElement(By.id("live")).getText().contains("Report " + phoneCode
        + " is now Resolved"));
    waitUpTo(10).until(d -> rows().stream().anyMatch(r -> phoneCode.equals(r.get("code"))
        && "resolved".equals(r.get("status"))));
    assertFalse(browser.findElement(By.id("error")).isDisplayed(), browser.findElement(By.id("error")).getText());

    JsonObject need = admin.get("/needs?topic=legal&days=7").bodyAsJsonObject().getJsonArray("needs").stream()
        .map(o -> (JsonObject) o).filter(n -> phoneCode.equals(n.getString("code"))).findFirst().orElseThrow();
    assertEquals("resolved", need.getString("status"), need.encode());
    JsonObject other = admin.get("/needs?topic=legal&days=7").bodyAsJsonObject().getJsonArray("needs").stream()
        .map(o -> (JsonObject) o).filter(n -> hostileCode.equals(n.getString("code"))).findFirst().orElseThrow();
    assertNotEquals("resolved", other.getString("status"), "only that report changed");

    assertEquals(TITLE, browser.getTitle());
    assertNoScriptErrors();
  }
}

package org.welcomeline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.content.ContentCatalog;

/** The resident page in a real headless Chromium, as a phone-sized window. */
class ResidentPageIT {
  static TestServer server;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get(Engine.SQLITE);
    browser = Browser.start(390, 844);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  static List<WebElement> botBubbles() {
    return browser.findElements(By.cssSelector("#log li.bot"));
  }

  static WebElement ask(String text) {
    int before = botBubbles().size();
    WebElement input = browser.findElement(By.id("text"));
    input.sendKeys(text);
    browser.findElement(By.id("send")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> botBubbles().size() > before);
    return botBubbles().get(botBubbles().size() - 1);
  }

  static void screenshot(String name) throws Exception {
    Files.createDirectories(Path.of("target/screenshots"));
    Files.write(Path.of("target/screenshots", name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void spanishThenArabicRightToLeftAndTheConversationSurvivesAReload() throws Exception {
    browser.get("http://127.0.0.1:" + server.port() + "/");
    browser.executeScript("localStorage.clear()");
    browser.navigate().refresh();
    WebElement es = ask("necesito un abogado");
    String legal = ContentCatalog.read(Path.of("content/es/services.yaml")).get("legal").contact();
    assertTrue(es.getText().contains(legal), es.getText());
    assertEquals("ltr", browser.findElement(By.tagName("html")).getAttribute("dir"));

    new Select(browser.findElement(By.id("language"))).selectByValue("ar");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "ar".equals(
        botBubbles().get(botBubbles().size() - 1).getAttribute("lang")));
    assertEquals("rtl", browser.findElement(By.tagName("html")).getAttribute("dir"));
    WebElement ar = ask("أحتاج طبيب لابني");
    String health = ContentCatalog.read(Path.of("content/ar/services.yaml")).get("health").contact();
    assertTrue(ar.getText().contains(health), ar.getText());
    assertEquals("rtl", ar.getCssValue("direction"));
    screenshot("resident-arabic");

    int shown = browser.findElements(By.cssSelector("#log li")).size();
    browser.navigate().refresh();
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#log li")).size() == shown);
    WebElement after = ask("شكرا");
    assertEquals("ar", after.getAttribute("lang"), "the conversation continues in Arabic after a reload");
  }

  @Test
  void theConnectionComesBackAfterTheServerDropsIt() throws Exception {
    browser.get("http://127.0.0.1:" + server.port() + "/");
    ask("hello");
    // drop the socket from the page's side, as a flaky mobile network would
    browser.executeScript("window.welcomeline.drop()");
    WebElement reply = ask("where can I get free food");
    String food = ContentCatalog.read(Path.of("content/en/services.yaml")).get("food").contact();
    assertTrue(reply.getText().contains(food), reply.getText());
  }
}

package org.welcomeline.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.welcomeline.TestServer;
import org.welcomeline.TestServer.Engine;
import org.welcomeline.channel.twilio.SmsClient;
import org.welcomeline.store.StaffStore.Role;
import org.welcomeline.web.Browser;

/** The staff console in real headless Chromium at 1280 px: login, inbox, answer a handed-off resident. */
class ConsolePageIT {
  static TestServer server;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get(Engine.SQLITE);
    browser = Browser.start(1280, 900);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  static WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  @Test
  void editorLogsInOpensTheWaitingResidentAndAnswers() throws Exception {
    String editor = StaffApi.newUser(server, Role.EDITOR);
    String resident = "+1555" + (3_000_000 + (int) (Math.random() * 6_000_000));
    String hostile = "<img src=x onerror=\"document.title='pwned'\"> I need to talk to someone";
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(resident, "I want to talk to a person please");
      sms.send(resident, hostile);
    }
    browser.get("http://127.0.0.1:" + server.port() + "/console/");
    browser.manage().deleteAllCookies(); // signed out, whichever test ran before
    browser.navigate().refresh();
    waitUpTo(10).until(d -> d.findElement(By.id("login-view")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys(editor);
    browser.findElement(By.id("password")).sendKeys("a wrong password");
    browser.findElement(By.id("login")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("error")).isDisplayed());
    assertTrue(browser.findElement(By.id("error")).getText().contains("Wrong username or password"));
    browser.findElement(By.id("password")).clear();
    browser.findElement(By.id("password")).sendKeys(StaffApi.PASSWORD);
    browser.findElement(By.id("login")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("inbox-view")).isDisplayed());
    assertTrue(browser.findElement(By.id("who")).getText().startsWith(editor));

    // open the newest waiting SMS conversation
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#inbox-rows tr.conversation a.open")).isEmpty());
    List<WebElement> open = browser.findElements(By.cssSelector("#inbox-rows tr.conversation a.open"));
    open.get(open.size() - 1).click();
    waitUpTo(10).until(d -> d.findElement(By.id("conversation-view")).isDisplayed()
        && d.findElements(By.cssSelector("#messages li")).size() >= 2);
    String shown = browser.findElement(By.id("messages")).getText();
    assertTrue(shown.contains(hostile), "the resident's text is shown as text: " + shown);
    assertFalse(browser.getTitle().contains("pwned"), "markup in a message never runs");
    assertTrue(browser.findElements(By.cssSelector("#messages img")).isEmpty());

    String answer = "Hello, this is Sam from the city team. How can I help?";
    browser.findElement(By.id("reply-text")).sendKeys(answer);
    browser.findElement(By.id("send-reply")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("messages")).getText().contains(answer));
    assertEquals(List.of(answer), StaffApi.outboxTo(server, resident), "sent once, to that resident");
    Files.createDirectories(Path.of("target/screenshots"));
    Files.write(Path.of("target/screenshots/console-conversation.png"), browser.getScreenshotAs(OutputType.BYTES));

    browser.findElement(By.id("close-conv")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("inbox-view")).isDisplayed());
    assertEquals(2, StaffApi.outboxTo(server, resident).size(), "the resident is told the bot is back");
  }

  static void login(String user) {
    browser.get("http://127.0.0.1:" + server.port() + "/console/#inbox");
    waitUpTo(10).until(d -> d.findElement(By.id("login-view")).isDisplayed()
        || d.findElement(By.id("inbox-view")).isDisplayed());
    if (browser.findElement(By.id("inbox-view")).isDisplayed()) {
      browser.findElement(By.id("logout")).click();
      waitUpTo(10).until(d -> d.findElement(By.id("login-view")).isDisplayed());
    }
    browser.findElement(By.id("username")).clear();
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).clear();
    browser.findElement(By.id("password")).sendKeys(StaffApi.PASSWORD);
    browser.findElement(By.id("login")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("inbox-view")).isDisplayed());
  }

  @Test
  void composePreviewApproveSendAndWatchProgress() throws Exception {
    String editor = StaffApi.newUser(server, Role.EDITOR);
    String approver = StaffApi.newUser(server, Role.APPROVER);
    String resident = "+1555" + (3_000_000 + (int) (Math.random() * 6_000_000));
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(resident, "hola, necesito ayuda con el transporte");
      sms.send(resident, server.backend.locales().list("es", "keywords.alerts").get(0) + " "
          + server.backend.locales().list("es", "topic.transport.keywords").get(0));
    }
    login(editor);
    browser.get("http://127.0.0.1:" + server.port() + "/console/#broadcast");
    waitUpTo(10).until(d -> d.findElement(By.id("broadcast-view")).isDisplayed());
    browser.findElement(By.cssSelector("input[name=b-topic][value=transport]")).click();
    browser.findElement(By.id("b-text-en")).sendKeys("Bus line 4 runs again from Monday.");
    browser.findElement(By.id("b-text-es")).sendKeys("La línea 4 de autobús vuelve el lunes.");
    browser.findElement(By.id("b-text-ar")).sendKeys("يعود خط الحافلة 4 يوم الاثنين.");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("b-fallback"))).selectByValue("en");
    browser.findElement(By.id("b-preview")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("b-result")).isDisplayed());
    String url = browser.getCurrentUrl();
    assertTrue(browser.findElement(By.id("b-summary")).getText().contains("recipients"));
    assertTrue(browser.findElement(By.id("b-rows")).getText().contains("es"));
    assertEquals("rtl", browser.findElement(By.id("b-text-ar")).getAttribute("dir"));
    Files.write(Path.of("target/screenshots/console-broadcast-preview.png"), browser.getScreenshotAs(OutputType.BYTES));

    login(approver);
    browser.get(url);
    waitUpTo(10).until(d -> d.findElement(By.id("b-approve")).isDisplayed());
    browser.findElement(By.id("b-approve")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("b-status")).getText().contains("approved"));

    login(editor);
    browser.get(url);
    waitUpTo(10).until(d -> d.findElement(By.id("b-send")).isDisplayed());
    browser.findElement(By.id("b-send")).click();
    waitUpTo(60).until(d -> d.findElement(By.id("b-status")).getText().contains("sent"));
    assertEquals(List.of("La línea 4 de autobús vuelve el lunes.\n"
        + server.backend.locales().format("es", "broadcast.footer")), StaffApi.outboxTo(server, resident));
  }

  @Test
  void scheduleThenCancelSendsNothing() throws Exception {
    String editor = StaffApi.newUser(server, Role.EDITOR);
    String resident = "+1555" + (3_000_000 + (int) (Math.random() * 6_000_000));
    try (SmsClient sms = new SmsClient(server)) {
      sms.send(resident, "hello, I need a lawyer");
      sms.send(resident, "ALERTS " + server.backend.locales().list("en", "topic.legal.keywords").get(0));
    }
    login(editor);
    browser.get("http://127.0.0.1:" + server.port() + "/console/#broadcast");
    waitUpTo(10).until(d -> d.findElement(By.id("broadcast-view")).isDisplayed());
    browser.findElement(By.cssSelector("input[name=b-topic][value=legal]")).click();
    browser.findElement(By.id("b-text-en")).sendKeys("Free legal advice <b>tomorrow</b> at the library.");
    browser.findElement(By.id("b-preview")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("b-result")).isDisplayed()
        && d.findElement(By.id("b-schedule")).isDisplayed());
    // a time in the past is refused with a clear message
    browser.executeScript("document.getElementById('b-when').value = '2001-01-01T10:00';");
    browser.findElement(By.id("b-schedule")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("error")).isDisplayed());
    assertTrue(browser.findElement(By.id("error")).getText().contains("future"));
    browser.executeScript("var t = new Date(Date.now() + 86400000); t.setMinutes(t.getMinutes() - t.getTimezoneOffset());"
        + "document.getElementById('b-when').value = t.toISOString().slice(0, 16);");
    browser.findElement(By.id("b-schedule")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("b-status")).getText().contains("scheduled"));
    assertTrue(browser.findElement(By.id("b-scheduled")).getText().startsWith("Goes out"));
    browser.findElement(By.id("b-cancel")).click();
    waitUpTo(10).until(d -> d.findElement(By.id("b-status")).getText().contains("cancelled"));
    assertFalse(browser.findElement(By.id("b-cancel")).isDisplayed(), "nothing left to cancel");
    assertFalse(browser.findElement(By.id("b-send")).isDisplayed(), "a cancelled broadcast cannot be sent");
    assertTrue(StaffApi.outboxTo(server, resident).isEmpty(), "nothing was sent");
    // the text was shown as text, never as markup
    assertTrue(browser.findElements(By.cssSelector("#b-rows b, #b-summary b")).isEmpty());
  }
}

package org.welcomeline.channel.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.welcomeline.channel.Retry;
import org.welcomeline.channel.SendException;

/** The real Twilio SDK against a local HTTP fake of Twilio's Messages API. */
class TwilioSenderTest {
  static final String SID = "AC00000000000000000000000000000001";
  static FakeTwilioApi fake;
  TwilioSender sender;

  @BeforeAll
  static void startFake() throws Exception {
    fake = new FakeTwilioApi();
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  @BeforeEach
  void newSender() {
    fake.requests.clear();
    sender = new TwilioSender(SID, "secret-token", "+15550199", fake.baseUrl(), "https://city.example/channels/twilio/status");
  }

  @Test
  void sendsAFormPostWithBasicAuthAndReturnsTheSid() throws Exception {
    String sid = sender.send("sms", "+15550100", "Hola, ¿qué tal?");
    assertTrue(sid.startsWith("SM"), sid);
    FakeTwilioApi.Received r = fake.requests.get(0);
    assertEquals("/2010-04-01/Accounts/" + SID + "/Messages.json", r.path());
    assertEquals("+15550100", r.form().get("To"));
    assertEquals("+15550199", r.form().get("From"));
    assertEquals("Hola, ¿qué tal?", r.form().get("Body"));
    assertEquals("https://city.example/channels/twilio/status", r.form().get("StatusCallback"));
    String auth = new String(Base64.getDecoder().decode(r.authorization().substring("Basic ".length())),
        StandardCharsets.UTF_8);
    assertEquals(SID + ":secret-token", auth);
  }

  @Test
  void whatsappRecipientsGetAWhatsappSender() throws Exception {
    sender.send("whatsapp", "whatsapp:+15550100", "hi");
    assertEquals("whatsapp:+15550199", fake.requests.get(0).form().get("From"));
  }

  @Test
  void failuresAreTyped() {
    fake.fail(429, 20429);
    assertEquals(SendException.Kind.THROTTLED, assertThrows(SendException.class, () -> sender.send("sms", "+15550100", "x")).kind());
    fake.fail(503, 20503);
    assertEquals(SendException.Kind.RETRYABLE, assertThrows(SendException.class, () -> sender.send("sms", "+15550100", "x")).kind());
    fake.fail(400, 21610);
    SendException optOut = assertThrows(SendException.class, () -> sender.send("sms", "+15550100", "x"));
    assertEquals(SendException.Kind.OPTED_OUT, optOut.kind());
    assertEquals("21610", optOut.code());
    fake.fail(400, 21211);
    assertEquals(SendException.Kind.INVALID_ADDRESS, assertThrows(SendException.class, () -> sender.send("sms", "bad", "x")).kind());
    fake.fail(400, 21614);
    assertEquals(SendException.Kind.INVALID_ADDRESS, assertThrows(SendException.class, () -> sender.send("sms", "+15550100", "x")).kind());
    fake.fail(401, 20003);
    assertEquals(SendException.Kind.PERMANENT, assertThrows(SendException.class, () -> sender.send("sms", "+15550100", "x")).kind());
    assertEquals(6, fake.requests.size(), "the SDK's own silent retries are off: one request per send");
  }

  @Test
  void retryBacksOffOnThrottlingAndServerErrorsThenSucceeds() throws Exception {
    fake.fail(429, 20429).fail(500, 20500);
    List<Long> slept = new ArrayList<>();
    String sid = Retry.send(sender, "sms", "+15550100", "x", new Retry.Policy(5, 100, 1000), slept::add);
    assertTrue(sid.startsWith("SM"));
    assertEquals(List.of(100L, 200L), slept);
    assertEquals(3, fake.requests.size());
  }

  @Test
  void anUnreachableApiIsRetryable() {
    TwilioSender down = new TwilioSender(SID, "t", "+15550199", "http://127.0.0.1:1", null);
    SendException e = assertThrows(SendException.class, () -> down.send("sms", "+15550100", "x"));
    assertTrue(e.retryable(), e.kind().toString());
  }
}

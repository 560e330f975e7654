package org.welcomeline.channel.twilio;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.welcomeline.TestServer;

/** Sends Twilio-signed SMS webhooks to a test server and reads the TwiML answers. */
public final class SmsClient implements AutoCloseable {
  public static final String PATH = "/channels/twilio/sms";
  private final TestServer server;
  private final WebClient http;

  public SmsClient(TestServer server) {
    this.server = server;
    this.http = WebClient.create(server.vertx);
  }

  public HttpResponse<Buffer> post(String path, String body, String contentType, String signature,
                                   Map<String, String> headers) throws Exception {
    var req = http.post(server.port(), "127.0.0.1", path).putHeader("Content-Type", contentType);
    if (signature != null) {
      req.putHeader("X-Twilio-Signature", signature);
    }
    headers.forEach(req::putHeader);
    return req.sendBuffer(Buffer.buffer(body)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Posts a correctly signed webhook. */
  public HttpResponse<Buffer> sms(Map<String, String> params) throws Exception {
    String sig = TwilioSignatures.sign(TestServer.TWILIO_TOKEN, TestServer.PUBLIC_URL + PATH, params);
    return post(PATH, form(params), "application/x-www-form-urlencoded", sig, Map.of());
  }

  /** Sends {@code body} from {@code from} and returns the reply text (null when the answer is empty). */
  public String send(String from, String body) throws Exception {
    return replyText(sms(msg(from, body)));
  }

  public static String form(Map<String, String> params) {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }

  /** As below with a chosen MessageSid (a provider's retry sends the same one). */
  public static Map<String, String> msg(String from, String body, String sid) {
    Map<String, String> p = msg(from, body);
    p.put("MessageSid", sid);
    return p;
  }

  public static Map<String, String> msg(String from, String body) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("From", from);
    p.put("To", "+15559999");
    p.put("Body", body);
    p.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    return p;
  }

  /** The text of the TwiML reply's message, or null for an empty response. */
  public static String replyText(HttpResponse<Buffer> r) {
    String xml = r.bodyAsString();
    if (r.statusCode() != 200 || !xml.contains("<Response")) {
      throw new AssertionError("not a TwiML answer: " + r.statusCode() + " " + xml);
    }
    Matcher m = Pattern.compile("<Body>(.*?)</Body>", Pattern.DOTALL).matcher(xml);
    if (!m.find()) {
      return null;
    }
    return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  @Override
  public void close() {
    http.close();
  }
}

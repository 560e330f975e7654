package org.welcomeline.channel.twilio;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.welcomeline.channel.SendException;
import org.welcomeline.channel.Sender;

/**
 * Sends through Twilio's Messages API with the official SDK. The API base URL can be overridden
 * (tests point it at a local fake that speaks the same API). The SDK's own silent retries are off:
 * failures come back typed, and the caller's {@link org.welcomeline.channel.Retry} policy decides.
 */
public final class TwilioSender implements Sender {
  private final TwilioRestClient client;
  private final String from;
  private final String statusCallback;

  /**
   * @param baseUrl        null for Twilio itself, or e.g. {@code http://127.0.0.1:8089}
   * @param from           a phone number, or a Messaging Service SID ({@code MG...})
   * @param statusCallback URL for delivery status callbacks, or null
   */
  public TwilioSender(String accountSid, String authToken, String from, String baseUrl, String statusCallback) {
    this.from = from;
    this.statusCallback = statusCallback;
    // no hidden retries (Apache HttpClient retries 429/503 by default): the caller's policy decides
    HttpClientBuilder builder = HttpClientBuilder.create().useSystemProperties().disableAutomaticRetries();
    if (baseUrl != null && !baseUrl.isBlank()) {
      URI u = URI.create(baseUrl);
      HttpHost target = new HttpHost(u.getScheme(), u.getHost(), u.getPort());
      builder.setRoutePlanner((host, context) -> new HttpRoute(target));
    }
    NetworkHttpClient http = new NetworkHttpClient(builder) {
      @Override
      public Response reliableRequest(Request request) {
        return makeRequest(request);
      }

      @Override
      public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
      }
    };
    this.client = new TwilioRestClient.Builder(accountSid, authToken).httpClient(http).build();
  }

  @Override
  public String send(String channel, String to, String body) throws SendException {
    PhoneNumber toNumber = new PhoneNumber(to);
    MessageCreator creator;
    if (from.startsWith("MG")) {
      creator = Message.creator(toNumber, from, body);
    } else {
      String sender = to.startsWith("whatsapp:") && !from.startsWith("whatsapp:") ? "whatsapp:" + from : from;
      creator = Message.creator(toNumber, new PhoneNumber(sender), body);
    }
    if (statusCallback != null) {
      creator.setStatusCallback(URI.create(statusCallback));
    }
    try {
      return creator.create(client).getSid();
    } catch (ApiException e) {
      throw classify(e.getStatusCode(), e.getCode(), e.getClass().getSimpleName());
    } catch (ApiConnectionException e) {
      throw new SendException(SendException.Kind.RETRYABLE, null, "connection to Twilio failed");
    } catch (TwilioException e) {
      throw new SendException(SendException.Kind.RETRYABLE, null, "Twilio client error: " + e.getClass().getSimpleName());
    }
  }

  static SendException classify(Integer httpStatus, Integer code, String what) {
    int status = httpStatus == null ? 0 : httpStatus;
    int c = code == null ? 0 : code;
    String codeText = code != null ? String.valueOf(code) : (httpStatus != null ? "http-" + httpStatus : null);
    SendException.Kind kind;
    if (c == 21610) {
      kind = SendException.Kind.OPTED_OUT;
    } else if (c == 21211 || c == 21614 || c == 21612 || c == 21408) {
      kind = SendException.Kind.INVALID_ADDRESS;
    } else if (status == 429 || c == 20429 || c == 14107) {
      kind = SendException.Kind.THROTTLED;
    } else if (status >= 500 || status == 0) {
      kind = SendException.Kind.RETRYABLE;
    } else {
      kind = SendException.Kind.PERMANENT;
    }
    return new SendException(kind, codeText, "Twilio refused the message (" + codeText + ", " + what + ")");
  }

  @Override
  public String name() {
    return "twilio";
  }
}

package org.welcomeline.channel.twilio;

import com.twilio.security.RequestValidator;
import java.lang.reflect.Method;
import java.util.Map;

/** Computes X-Twilio-Signature with the Twilio SDK's own algorithm (its private signer, via reflection). */
public final class TwilioSignatures {
  private TwilioSignatures() {
  }

  public static String sign(String authToken, String url, Map<String, String> params) {
    try {
      Method m = RequestValidator.class.getDeclaredMethod("getValidationSignature", String.class, Map.class);
      m.setAccessible(true);
      return (String) m.invoke(new RequestValidator(authToken), url, params);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}

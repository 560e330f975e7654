package org.welcomeline.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retry policy on a mocked sender (a fake would add nothing here). */
class RetryTest {
  @Test
  void permanentFailuresAreNotRetried() throws Exception {
    Sender s = mock(Sender.class);
    SendException optOut = new SendException(SendException.Kind.OPTED_OUT, "21610", "x");
    when(s.send(anyString(), anyString(), anyString())).thenThrow(optOut);
    List<Long> slept = new ArrayList<>();
    assertSame(optOut, assertThrows(SendException.class,
        () -> Retry.send(s, "sms", "+1", "b", Retry.Policy.DEFAULT, slept::add)));
    verify(s, times(1)).send("sms", "+1", "b");
    assertEquals(List.of(), slept);
  }

  @Test
  void retryableFailuresStopAtTheCapWithCappedDelays() throws Exception {
    Sender s = mock(Sender.class);
    when(s.send(anyString(), anyString(), anyString()))
        .thenThrow(new SendException(SendException.Kind.RETRYABLE, "http-500", "x"));
    List<Long> slept = new ArrayList<>();
    assertThrows(SendException.class, () -> Retry.send(s, "sms", "+1", "b", new Retry.Policy(6, 100, 500), slept::add));
    verify(s, times(6)).send("sms", "+1", "b");
    assertEquals(List.of(100L, 200L, 400L, 500L, 500L), slept);
  }
}

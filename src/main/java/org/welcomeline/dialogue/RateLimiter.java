package org.welcomeline.dialogue;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-sender fixed-window limit (messages per minute), in memory, keyed by the address hash. The
 * first refused message of a window gets a polite answer, later ones none (a flood must not make us
 * flood back). Thread-safe.
 */
public final class RateLimiter {
  /** The decision for one message. */
  public enum Decision { ALLOW, REFUSE_WITH_NOTICE, REFUSE_SILENTLY }

  private static final long WINDOW_MS = 60_000;
  private final int perMinute;
  private final Map<String, long[]> windows = new ConcurrentHashMap<>();

  public RateLimiter(int perMinute) {
    this.perMinute = perMinute;
  }

  public Decision check(String key, long now) {
    long[] w = windows.compute(key, (k, v) -> {
      if (v == null || now - v[0] >= WINDOW_MS) {
        return new long[] {now, 1};
      }
      v[1]++;
      return v;
    });
    if (windows.size() > 100_000) {
      prune(now);
    }
    long n = w[1];
    if (n <= perMinute) {
      return Decision.ALLOW;
    }
    return n == perMinute + 1 ? Decision.REFUSE_WITH_NOTICE : Decision.REFUSE_SILENTLY;
  }

  private void prune(long now) {
    for (Iterator<long[]> it = windows.values().iterator(); it.hasNext(); ) {
      if (now - it.next()[0] >= WINDOW_MS) {
        it.remove();
      }
    }
  }
}

package org.welcomeline.channel;

/**
 * Retrying a {@link Sender} with exponential backoff and a cap, for retryable failures only.
 * The sleeper is injected so tests observe the delays without waiting.
 */
public final class Retry {
  /** Waits between attempts (blocking; workers only). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  /** @param maxAttempts total attempts including the first; delays double from {@code baseDelayMs} up to {@code maxDelayMs} */
  public record Policy(int maxAttempts, long baseDelayMs, long maxDelayMs) {
    public static final Policy DEFAULT = new Policy(5, 500, 30_000);

    public long delayBefore(int attempt) {
      long d = baseDelayMs << Math.min(30, Math.max(0, attempt - 2));
      return Math.min(maxDelayMs, d);
    }
  }

  private Retry() {
  }

  public static String send(Sender sender, String channel, String to, String body, Policy policy, Sleeper sleeper)
      throws SendException, InterruptedException {
    SendException last = null;
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      if (attempt > 1) {
        sleeper.sleep(policy.delayBefore(attempt));
      }
      try {
        return sender.send(channel, to, body);
      } catch (SendException e) {
        if (!e.retryable()) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }
}

package org.welcomeline.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Deletes what is kept only for a while: message text after {@code messageDays} (the rows stay,
 * without text, for counts by language and topic), outbox entries after {@code outboxDays}. The
 * clock is a parameter so tests control it. Blocking.
 */
public final class Retention {
  private static final long DAY = 86_400_000L;
  private final Database db;
  private final int messageDays;
  private final int outboxDays;
  private final int reportDays;

  /** What one run removed. */
  public record Result(int messageBodies, int outboxEntries, int reportTexts) {
  }

  public Retention(Database db, int messageDays, int outboxDays, int reportDays) {
    this.db = db;
    this.messageDays = messageDays;
    this.outboxDays = outboxDays;
    this.reportDays = reportDays;
  }

  public Result run(long now) throws SQLException {
    return db.tx(c -> {
      int bodies;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE messages SET body_enc = NULL WHERE body_enc IS NOT NULL AND created_at < ? AND status <> 'received'")) {
        ps.setLong(1, now - messageDays * DAY);
        bodies = ps.executeUpdate();
      }
      int outbox;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE created_at < ?")) {
        ps.setLong(1, now - outboxDays * DAY);
        outbox = ps.executeUpdate();
      }
      // reports of needs: the original text goes; the scrubbed text and the counts stay
      int reports = Needs.expireOriginals(c, now - reportDays * DAY);
      return new Result(bodies, outbox, reports);
    });
  }
}

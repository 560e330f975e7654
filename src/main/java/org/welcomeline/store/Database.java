package org.welcomeline.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.welcomeline.config.Config;

/**
 * The connection pool and migrations. SQLite (a file in the data dir) by default, PostgreSQL when
 * {@code database_url} says so; one migration set for both. All methods block: call from workers.
 *
 * <p>SQLite has one writer at a time. Instead of many worker threads fighting over one connection,
 * SQLite work goes to a single writer thread that runs up to {@link #GROUP} queued units of work in
 * one transaction (group commit), each inside its own savepoint: a failing unit is rolled back alone
 * and its caller gets the exception; the others commit together, and every caller returns only after
 * the commit. PostgreSQL uses the pool, one transaction per call.
 */
public final class Database implements AutoCloseable {

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Most units of work committed together by the SQLite writer. */
  static final int GROUP = 64;

  private final HikariDataSource pool;
  private final boolean postgres;
  private final java.util.concurrent.BlockingQueue<Job<?>> queue = new java.util.concurrent.LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  /** One caller's unit of work and its outcome. */
  private static final class Job<T> {
    final Work<T> work;
    final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    T result;
    Throwable error;

    Job(Work<T> work) {
      this.work = work;
    }

    T await() throws SQLException {
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the database", e);
      }
      if (error instanceof SQLException e) {
        throw e;
      }
      if (error instanceof RuntimeException e) {
        throw e;
      }
      if (error instanceof Error e) {
        throw e;
      }
      return result;
    }
  }

  private Database(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.postgres = postgres;
    if (postgres) {
      writer = null;
    } else {
      writer = new Thread(this::writeLoop, "welcomeline-sqlite-writer");
      writer.setDaemon(true);
      writer.start();
    }
  }

  private void writeLoop() {
    java.util.List<Job<?>> batch = new java.util.ArrayList<>(GROUP);
    while (!closed || !queue.isEmpty()) {
      try {
        Job<?> first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, GROUP - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(java.util.List<Job<?>> batch) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Job<?> job : batch) {
          runInSavepoint(c, job);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        safeRollback(c);
        for (Job<?> job : batch) {
          job.error = job.error == null ? e : job.error;
        }
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException e) {
      for (Job<?> job : batch) {
        job.error = job.error == null ? e : job.error;
      }
    }
    for (Job<?> job : batch) {
      job.done.countDown();
    }
  }

  private static <T> void runInSavepoint(Connection c, Job<T> job) throws SQLException {
    java.sql.Savepoint sp = c.setSavepoint();
    try {
      job.result = job.work.run(c);
      c.releaseSavepoint(sp);
    } catch (SQLException | RuntimeException | Error e) {
      job.error = e;
      try {
        c.rollback(sp);
        c.releaseSavepoint(sp);
      } catch (SQLException gone) {
        // SQLite rolls the whole transaction back itself on some errors (SQLITE_FULL, SQLITE_IOERR):
        // the savepoint is gone and so is every unit of this group; they all fail with the real cause
        e.addSuppressed(gone);
        throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
      }
    }
  }

  private static void safeRollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool replaces it
    }
  }

  public static Database open(Config config) throws IOException {
    String url = config.databaseUrl();
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("welcomeline-db");
    boolean postgres = config.postgres();
    if (url.isEmpty() || url.startsWith("jdbc:sqlite:")) {
      if (url.isEmpty()) {
        Files.createDirectories(config.dataDir());
        url = "jdbc:sqlite:" + config.dataDir().resolve("welcomeline.db").toAbsolutePath();
      }
      hc.setJdbcUrl(url);
      // one writer at a time is SQLite's model; a single connection avoids SQLITE_BUSY storms
      hc.setMaximumPoolSize(1);
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("synchronous", "NORMAL");
      hc.addDataSourceProperty("foreign_keys", "true");
      hc.addDataSourceProperty("busy_timeout", "10000");
      // a page cache and memory-mapped reads big enough for a city's database: fewer syscalls per commit
      hc.addDataSourceProperty("cache_size", "-32768");
      hc.addDataSourceProperty("mmap_size", "268435456");
      hc.addDataSourceProperty("temp_store", "MEMORY");
    } else {
      hc.setJdbcUrl(url);
      if (!config.databaseUser().isEmpty()) {
        hc.setUsername(config.databaseUser());
      }
      if (!config.databasePassword().isEmpty()) {
        hc.setPassword(config.databasePassword());
      }
      hc.setMaximumPoolSize(config.databasePoolSize());
    }
    hc.setAutoCommit(true);
    hc.setConnectionTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new IOException("cannot open the database (" + redact(url) + "): " + e.getMessage(), e);
    }
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new IOException("database migration failed: " + e.getMessage(), e);
    }
    return new Database(ds, postgres);
  }

  /**
   * Runs {@code work} in one transaction (on SQLite: in a savepoint of a group commit); its changes are
   * rolled back on any failure, and it returns after they are durable.
   */
  public <T> T tx(Work<T> work) throws SQLException {
    if (writer != null) {
      if (Thread.currentThread() == writer) {
        throw new IllegalStateException("nested Database.tx on the SQLite writer");
      }
      if (closed) {
        throw new SQLException("the database is closed");
      }
      Job<T> job = new Job<>(work);
      queue.add(job);
      return job.await();
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        // the real cause is what callers must see (a lost connection is a 503, not a 500): a rollback
        // or reset on a connection the server just closed fails too, and must not hide it
        try {
          c.rollback();
        } catch (SQLException lost) {
          e.addSuppressed(lost);
        }
        throw e;
      } finally {
        try {
          c.setAutoCommit(true);
        } catch (SQLException lost) {
          // broken connection: the pool evicts it
        }
      }
    }
  }

  public boolean postgres() {
    return postgres;
  }

  /** Cheap liveness probe of the database. */
  public boolean ping() {
    try {
      return tx(c -> c.isValid(2));
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      try {
        writer.join(10_000); // finishes what is queued
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pool.close();
  }

  static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  public static Path sqliteFile(Config config) {
    return config.dataDir().resolve("welcomeline.db");
  }
}

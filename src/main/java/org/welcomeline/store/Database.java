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
 */
public final class Database implements AutoCloseable {

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final HikariDataSource pool;
  private final boolean postgres;

  private Database(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.postgres = postgres;
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

  /** Runs {@code work} in one transaction; rolls back on any failure. */
  public <T> T tx(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  public boolean postgres() {
    return postgres;
  }

  /** Cheap liveness probe of the database. */
  public boolean ping() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  static String redact(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }

  public static Path sqliteFile(Config config) {
    return config.dataDir().resolve("welcomeline.db");
  }
}

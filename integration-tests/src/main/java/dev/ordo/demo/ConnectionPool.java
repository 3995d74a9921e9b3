package dev.ordo.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.Critical;
import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** A HikariCP pool on an embedded H2 database; the application cannot run without it. */
@Critical
public final class ConnectionPool {
  private final String url;
  private volatile HikariDataSource dataSource;

  public ConnectionPool(@Named("jdbc-url") String url) {
    this.url = url;
  }

  @OnStartup(timeout = "10s")
  void open() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("sa");
    config.setPoolName("orders");
    config.setMaximumPoolSize(8);
    dataSource = new HikariDataSource(config);
  }

  @OnShutdown(timeout = "5s")
  void close() {
    dataSource.close();
  }

  @HealthCheck(timeout = "500ms")
  boolean selectOne() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      return r.next() && r.getInt(1) == 1;
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }
}

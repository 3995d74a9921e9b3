package dev.ordo.demo;

import dev.ordo.Critical;
import dev.ordo.HealthCheck;
import dev.ordo.OnStartup;
import dev.ordo.runtime.Health;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders in the database; creates its schema at startup. Its constructor takes the pool, which
 * makes the pool a hard dependency (no {@code @DependsOn} needed).
 */
@Critical
public final class OrderStore {
  /** One order. */
  public record Order(long id, String item, int quantity) {}

  private final ConnectionPool pool;
  private volatile boolean maintenance;

  public OrderStore(ConnectionPool pool) {
    this.pool = pool;
  }

  @OnStartup(timeout = "10s")
  void migrate() throws SQLException {
    try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS orders ("
          + "id BIGINT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(200) NOT NULL, quantity INT NOT NULL)");
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM orders")) {
        r.next();
        if (r.getLong(1) == 0) {
          s.execute("INSERT INTO orders (item, quantity) VALUES ('espresso beans', 2), ('milk frother', 1)");
        }
      }
    }
  }

  @HealthCheck(name = "orders-table", timeout = "500ms")
  Health ordersTable() throws SQLException {
    if (maintenance) {
      return Health.down("the orders table is in maintenance (POST /admin/maintenance?on=false)");
    }
    return Health.up().withDetail("orders", count());
  }

  /** Takes the orders table into maintenance: its health check reports DOWN until it is back. */
  public void maintenance(boolean on) {
    this.maintenance = on;
  }

  public long place(String item, int quantity) throws SQLException {
    try (Connection c = pool.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO orders (item, quantity) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, item);
      s.setInt(2, quantity);
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  public List<Order> all() throws SQLException {
    try (Connection c = pool.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id, item, quantity FROM orders ORDER BY id")) {
      List<Order> orders = new ArrayList<>();
      while (r.next()) {
        orders.add(new Order(r.getLong(1), r.getString(2), r.getInt(3)));
      }
      return orders;
    }
  }

  public long count() throws SQLException {
    try (Connection c = pool.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM orders")) {
      r.next();
      return r.getLong(1);
    }
  }
}

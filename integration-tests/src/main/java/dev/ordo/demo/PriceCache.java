package dev.ordo.demo;

import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import jakarta.inject.Named;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A price cache with no dependencies: it starts in parallel with the connection pool. With
 * {@code --hang-on-stop} its stop hook never returns, to show that the shutdown budget is kept.
 */
public final class PriceCache {
  private final Map<String, Integer> cents = new ConcurrentHashMap<>();
  private final boolean hangOnStop;

  public PriceCache(@Named("hang-on-stop") boolean hangOnStop) {
    this.hangOnStop = hangOnStop;
  }

  @OnStartup
  void load() {
    cents.put("espresso beans", 1_450);
    cents.put("milk frother", 3_900);
  }

  @OnShutdown(timeout = "1h")
  void clear() throws InterruptedException {
    if (hangOnStop) {
      // Ignores interrupts too, like a stuck flush to a dead remote.
      while (true) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException ignored) {
          // keep hanging
        }
      }
    }
    cents.clear();
  }

  @HealthCheck
  boolean warm() {
    return !cents.isEmpty();
  }

  public int priceOf(String item) {
    return cents.getOrDefault(item, 1_000);
  }
}

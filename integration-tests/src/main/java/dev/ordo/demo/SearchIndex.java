package dev.ordo.demo;

import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import jakarta.inject.Named;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-memory search index over the orders. Optional: without it the shop still takes orders,
 * and search answers 503. With {@code --fail-optional} its startup fails, to show degradation.
 */
public final class SearchIndex {
  private final OrderStore store;
  private final boolean failAtStartup;
  private final Map<Long, String> index = new ConcurrentHashMap<>();
  private volatile boolean running;

  public SearchIndex(OrderStore store, @Named("fail-optional") boolean failAtStartup) {
    this.store = store;
    this.failAtStartup = failAtStartup;
  }

  @OnStartup(timeout = "5s")
  void build() throws Exception {
    if (failAtStartup) {
      throw new IllegalStateException("index files are corrupt (--fail-optional)");
    }
    for (OrderStore.Order o : store.all()) {
      index.put(o.id(), o.item().toLowerCase(Locale.ROOT));
    }
    running = true;
  }

  @OnShutdown
  void drop() {
    running = false;
    index.clear();
  }

  @HealthCheck
  boolean loaded() {
    return !index.isEmpty();
  }

  /** Whether the index started and has not stopped: search answers only then. */
  public boolean running() {
    return running;
  }

  public void add(long id, String item) {
    index.put(id, item.toLowerCase(Locale.ROOT));
  }

  public List<Long> search(String text) {
    String needle = text.toLowerCase(Locale.ROOT);
    return index.entrySet().stream()
        .filter(e -> e.getValue().contains(needle))
        .map(Map.Entry::getKey)
        .sorted()
        .collect(Collectors.toList());
  }
}

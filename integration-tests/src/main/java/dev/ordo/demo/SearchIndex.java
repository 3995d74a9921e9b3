package dev.ordo.demo;

import dev.ordo.DependsOn;
import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-memory search index over the orders. Optional: without it the shop still takes orders,
 * and search answers 503. With {@code --fail-optional} its startup fails, to show degradation.
 */
@DependsOn(OrderStore.class)
public final class SearchIndex {
  private final OrderStore store;
  private final boolean failAtStartup;
  private final Map<Long, String> index = new ConcurrentHashMap<>();

  public SearchIndex(OrderStore store, boolean failAtStartup) {
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
  }

  @OnShutdown
  void drop() {
    index.clear();
  }

  @HealthCheck
  boolean loaded() {
    return !index.isEmpty();
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

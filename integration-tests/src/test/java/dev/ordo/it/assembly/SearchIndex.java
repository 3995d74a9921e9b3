package dev.ordo.it.assembly;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

/** An optional search index over the orders; a feature flag may leave it out. */
public final class SearchIndex {
  private final OrderStore store;
  private final Journal journal;

  public SearchIndex(OrderStore store, Journal journal) {
    this.store = store;
    this.journal = journal;
  }

  @OnStartup
  void build() {
    journal.add("start SearchIndex");
  }

  @OnShutdown
  void close() {
    journal.add("stop SearchIndex");
  }

  /** The number of orders whose item contains {@code text}. */
  public long count(String text) {
    return store.items().stream().filter(i -> i.contains(text)).count();
  }
}

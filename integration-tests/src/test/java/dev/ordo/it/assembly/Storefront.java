package dev.ordo.it.assembly;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.PublishesEvents;
import dev.ordo.it.Journal;
import dev.ordo.runtime.RequestTracker;
import jakarta.inject.Named;
import java.util.Optional;

/**
 * Takes orders. Hard dependencies on both stores, an optional one on the search index (empty when
 * it was left out); the application's request tracker and its own generated events; the shop's
 * settings and the port as externals.
 */
@Critical
@PublishesEvents(operations = "checkout", payloads = OrderPlaced.class)
public final class Storefront {
  private final OrderStore orders;
  private final AccountStore accounts;
  private final Optional<SearchIndex> search;
  private final RequestTracker tracker;
  private final Storefront_Events events;
  private final ShopConfig config;
  private final int port;
  private final Journal journal;

  public Storefront(OrderStore orders, AccountStore accounts, Optional<SearchIndex> search, RequestTracker tracker,
      Storefront_Events events, ShopConfig config, @Named("http-port") int port, Journal journal) {
    this.orders = orders;
    this.accounts = accounts;
    this.search = search;
    this.tracker = tracker;
    this.events = events;
    this.config = config;
    this.port = port;
    this.journal = journal;
  }

  @OnStartup
  void listen() {
    journal.add("start Storefront " + (search.isPresent() ? "with search" : "without search"));
  }

  @OnShutdown
  void close() {
    journal.add("stop Storefront");
  }

  /**
   * Takes one order, as a request of the application's tracker and a {@code checkout} operation
   * correlated by {@code requestId}; publishes {@link OrderPlaced}.
   */
  public long checkout(String requestId, String item, int quantity) throws Exception {
    return tracker.call(() -> events.checkout(requestId, () -> {
      if (quantity > config.maxItemsPerOrder()) {
        throw new IllegalArgumentException("at most " + config.maxItemsPerOrder() + " items per order");
      }
      long id = orders.add(item);
      events.publish(new OrderPlaced(id, item, quantity));
      return id;
    }));
  }

  /** How many orders match {@code text}, when the search index is in. */
  public Optional<Long> search(String text) {
    return search.map(index -> index.count(text));
  }

  public Optional<SearchIndex> searchIndex() {
    return search;
  }

  public OrderStore orders() {
    return orders;
  }

  public AccountStore accounts() {
    return accounts;
  }

  public RequestTracker tracker() {
    return tracker;
  }

  public ShopConfig config() {
    return config;
  }

  public int port() {
    return port;
  }
}

package dev.ordo.it.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.it.Journal;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application {@link Bookshop}, assembled by the generated {@code OrdoBookshop}: constructed,
 * started, used and stopped through the public API only.
 */
@Timeout(60)
class AssemblyIntegrationTest {
  private static final String P = "dev.ordo.it.assembly.";

  private final Journal journal = new Journal();
  private final ConnectionPool ordersDb = new ConnectionPool("orders", journal);
  private final ConnectionPool usersDb = new ConnectionPool("users", journal);

  /** A builder given every external. */
  private OrdoBookshop.Builder shop() {
    return OrdoBookshop.builder()
        .journal(journal)
        .ordersDb(ordersDb)
        .usersDb(usersDb)
        .shopConfig(new ShopConfig("EUR", 5))
        .httpPort(8080)
        .maxSuggestions(3);
  }

  @Test
  void startsEachComponentAfterWhatItsConstructorTakesAndStopsInReverse() {
    OrdoBookshop shop = shop().build();
    Ordo app = shop.ordo();
    assertEquals(ApplicationState.NEW, app.state(), "built, not started");
    assertTrue(journal.entries().isEmpty(), journal.entries()::toString);
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertFalse(app.isDegraded());
    // Constructor edges (and the @DependsOn of the audit log on every pool), in startup order.
    before("start pool orders", "start OrderStore");
    before("start pool users", "start AccountStore");
    before("start pool orders", "start AuditLog");
    before("start pool users", "start AuditLog");
    before("start OrderStore", "start SearchIndex");
    before("start SearchIndex", "start Recommendations");
    before("start OrderStore", "start Storefront with search");
    before("start AccountStore", "start Storefront with search");
    before("start SearchIndex", "start Storefront with search"); // Optional<SearchIndex>: a soft edge orders too
    assertEquals(8, journal.entries().size(), journal.entries()::toString);

    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    assertEquals(ApplicationState.STOPPED, app.state());
    before("stop Storefront", "stop OrderStore");
    before("stop Storefront", "stop AccountStore");
    before("stop Storefront", "stop SearchIndex");
    before("stop Recommendations", "stop SearchIndex");
    before("stop SearchIndex", "stop OrderStore");
    before("stop OrderStore", "stop pool orders");
    before("stop AccountStore", "stop pool users");
    before("stop AuditLog", "stop pool orders");
    before("stop AuditLog", "stop pool users");
    assertEquals(16, journal.entries().size(), journal.entries()::toString);
  }

  @Test
  void constructsEachComponentOnceWithWhatItsConstructorTakes() {
    ShopConfig config = new ShopConfig("EUR", 5);
    OrdoBookshop shop = shop().shopConfig(config).httpPort(9090).build();
    Storefront storefront = shop.storefront();
    assertSame(shop.orders(), storefront.orders(), "one OrderStore, shared");
    assertSame(ordersDb, storefront.orders().pool());
    assertSame(usersDb, storefront.accounts().pool());
    assertSame(config, storefront.config());
    assertEquals(9090, storefront.port());
    assertSame(shop.ordo().requestTracker(), storefront.tracker(), "the application's tracker");
    Recommendations recommendations = shop.recommendations().orElseThrow();
    assertSame(storefront.searchIndex().orElseThrow(), recommendations.index());
    assertEquals(3, recommendations.maxSuggestions());
  }

  @Test
  void theTwoPoolsAreKeyedInstancesOfOneClass() {
    Ordo app = shop().build().ordo();
    app.start();
    try {
      List<String> names = app.components().stream().map(ComponentStatus::name).collect(Collectors.toList());
      assertTrue(names.contains(P + "ConnectionPool[orders-db]"), names::toString);
      assertTrue(names.contains(P + "ConnectionPool[users-db]"), names::toString);
      assertFalse(names.contains(P + "ConnectionPool"), "keyed instances only: " + names);
      assertEquals(8, names.size(), names::toString);
      assertEquals(names, app.startupOrder().stream().map(d -> d.name()).collect(Collectors.toList()));

      ComponentStatus orders = app.component(ConnectionPool.class, "orders-db");
      assertEquals(P + "ConnectionPool[orders-db]", orders.name());
      assertEquals("orders-db", orders.component().instanceKey());
      assertEquals(ComponentState.RUNNING, orders.state());
      assertEquals(P + "ConnectionPool[users-db]", app.component(ConnectionPool.class, "users-db").name());
      IllegalArgumentException which = assertThrows(IllegalArgumentException.class,
          () -> app.component(ConnectionPool.class));
      assertEquals("This application runs 2 instances of " + P + "ConnectionPool, with the keys orders-db, users-db:"
          + " name one with component(ConnectionPool.class, key)", which.getMessage());
      assertThrows(IllegalArgumentException.class, () -> app.component(ConnectionPool.class, "billing-db"));
    } finally {
      app.stop();
    }
    assertFalse(ordersDb.isOpen());
    assertFalse(usersDb.isOpen());
  }

  @Test
  void theSameClassesWiredByHandTellThePoolsApartByTheKeysGiven() {
    Ordo app = Ordo.builder()
        .component("orders-db", ordersDb)
        .component("users-db", usersDb)
        .components(new OrderStore(ordersDb, journal), new AccountStore(usersDb, journal))
        .build();
    app.start();
    try {
      assertEquals(List.of(P + "AccountStore", P + "ConnectionPool[orders-db]", P + "ConnectionPool[users-db]",
          P + "OrderStore"), app.components().stream().map(ComponentStatus::name).sorted().collect(Collectors.toList()));
      assertEquals(ComponentState.RUNNING, app.component(ConnectionPool.class, "orders-db").state());
      before("start pool orders", "start OrderStore");
      before("start pool users", "start AccountStore");
    } finally {
      assertTrue(app.stop().clean());
    }
    before("stop OrderStore", "stop pool orders");
    before("stop AccountStore", "stop pool users");
  }

  @Test
  void anOptionalComponentLeftOutTakesItsHardDependentsAlongAndItsSoftDependentsRunWithout() {
    // The recommendations' external (max-suggestions) is needed only when they are in: not given.
    OrdoBookshop shop = OrdoBookshop.builder()
        .journal(journal).ordersDb(ordersDb).usersDb(usersDb).shopConfig(new ShopConfig("EUR", 5)).httpPort(8080)
        .without(SearchIndex.class)
        .build();
    Ordo app = shop.ordo();
    List<String> names = app.components().stream().map(ComponentStatus::name).collect(Collectors.toList());
    assertFalse(names.contains(P + "SearchIndex"), names::toString);
    assertFalse(names.contains(P + "Recommendations"), "a hard dependent goes with it: " + names);
    assertEquals(6, names.size(), names::toString);
    assertThrows(IllegalArgumentException.class, () -> app.component(SearchIndex.class));
    assertThrows(IllegalArgumentException.class, () -> app.component(Recommendations.class));
    assertEquals(Optional.empty(), shop.recommendations());
    assertEquals(Optional.empty(), shop.storefront().searchIndex(), "the soft dependent got an empty Optional");

    app.start();
    try {
      assertEquals(ApplicationState.RUNNING, app.state());
      assertFalse(app.isDegraded(), "left out is not failed");
      assertEquals(ComponentState.RUNNING, app.component(Storefront.class).state());
      assertTrue(journal.contains("start Storefront without search"), journal.entries()::toString);
      assertFalse(journal.contains("start SearchIndex"));
      assertFalse(journal.contains("start Recommendations"));
      assertEquals(Optional.empty(), shop.storefront().search("book"));
    } finally {
      assertTrue(app.stop().clean());
    }
  }

  @Test
  void leavingOutACriticalComponentIsAConfigurationErrorNamingIt() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> shop().without(OrderStore.class).build());
    // Named, and so is the critical component that would go with it.
    assertEquals(P + "OrderStore is @Critical: the application cannot run without it, so it cannot be left out with"
        + " without(OrderStore.class).\n"
        + P + "Storefront is @Critical and hard-depends on " + P + "OrderStore, which was left out with"
        + " without(OrderStore.class). Keep " + P + "OrderStore, or make the dependency optional.", e.getMessage());
    ConfigurationException notOne = assertThrows(ConfigurationException.class,
        () -> shop().without(ShopConfig.class).build());
    assertTrue(notOne.getMessage().startsWith(P + "ShopConfig is not a component of " + P + "Bookshop; the"
        + " components are "), notOne.getMessage());
  }

  @Test
  void aMissingExternalIsAConfigurationErrorNamingEverySetterNotCalled() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> OrdoBookshop.builder()
        .journal(journal).ordersDb(ordersDb).shopConfig(new ShopConfig("EUR", 5)).maxSuggestions(3)
        .build());
    assertEquals("OrdoBookshop.builder() was not given httpPort(int), usersDb(ConnectionPool); call each before"
        + " build()", e.getMessage());
    ConfigurationException none = assertThrows(ConfigurationException.class, () -> OrdoBookshop.builder().build());
    assertEquals("OrdoBookshop.builder() was not given httpPort(int), journal(Journal), maxSuggestions(int),"
        + " ordersDb(ConnectionPool), shopConfig(ShopConfig), usersDb(ConnectionPool); call each before build()",
        none.getMessage());
  }

  @Test
  void eventsPublishedThroughTheInjectedEventsReachTheSink() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    OrdoBookshop shop = shop().configure(b -> b.events(EventOptions.defaults().sink(sink))).build();
    Ordo app = shop.ordo();
    app.start();
    long id;
    try {
      id = shop.storefront().checkout("req-42", "The Pragmatic Programmer", 2);
      assertThrows(IllegalArgumentException.class, () -> shop.storefront().checkout("req-43", "Dune", 9));
      assertEquals(Optional.of(1L), shop.storefront().search("Pragmatic"));
    } finally {
      assertTrue(app.stop().clean()); // delivers every accepted event before it returns
    }
    Event placed = one(sink, "dev.ordo.order-placed", "req-42");
    assertEquals(P + "Storefront", placed.subject());
    assertEquals("req-42", placed.correlationId());
    assertEquals(Map.of("orderId", id, "item", "The Pragmatic Programmer", "quantity", 2), placed.data());
    Event started = one(sink, "dev.ordo.checkout.started", "req-42");
    assertEquals("req-42", started.correlationId());
    assertEquals("checkout", started.data().get("operation"));
    assertEquals(P + "Storefront", started.data().get("component"));
    one(sink, "dev.ordo.checkout.started", "req-43");
    assertEquals(List.of("req-42"), correlationIds(sink, "dev.ordo.checkout.completed"));
    assertEquals(List.of("req-43"), correlationIds(sink, "dev.ordo.checkout.failed"));
    Event failed = one(sink, "dev.ordo.checkout.failed", "req-43");
    assertEquals("at most 5 items per order", failed.data().get("errorMessage"));
    // And the lifecycle of the keyed instances, under their names.
    assertTrue(sink.ofType("dev.ordo.component.started").stream()
        .anyMatch(e -> e.subject().equals(P + "ConnectionPool[users-db]")), () -> types(sink).toString());
  }

  @Test
  void runReturnsZeroAfterAStopFromAnotherThread() throws Exception {
    Ordo app = shop().build().ordo();
    CompletableFuture<Integer> running = CompletableFuture.supplyAsync(app::run);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (app.state() != ApplicationState.RUNNING) {
      assertFalse(running.isDone(), () -> "run() returned " + running.join() + " before RUNNING");
      assertTrue(System.nanoTime() < deadline, () -> "not RUNNING within 30s: " + app.state());
      Thread.sleep(5);
    }
    assertFalse(running.isDone(), "run() waits for the shutdown");
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    assertEquals(0, running.get(30, TimeUnit.SECONDS));
    assertEquals(ApplicationState.STOPPED, app.state());
    assertTrue(journal.contains("stop pool orders"));
  }

  private void before(String first, String then) {
    assertTrue(journal.indexOf(first) < journal.indexOf(then),
        () -> "expected '" + first + "' before '" + then + "': " + journal.entries());
  }

  /** The one event of {@code type} correlated by {@code correlationId}. */
  private static Event one(InMemoryEventSink sink, String type, String correlationId) {
    List<Event> events = sink.ofType(type).stream().filter(e -> correlationId.equals(e.correlationId()))
        .collect(Collectors.toList());
    assertEquals(1, events.size(), () -> type + " " + correlationId + " in " + types(sink));
    return events.get(0);
  }

  private static List<String> correlationIds(InMemoryEventSink sink, String type) {
    return sink.ofType(type).stream().map(Event::correlationId).collect(Collectors.toList());
  }

  private static List<String> types(InMemoryEventSink sink) {
    return sink.events().stream().map(e -> e.type() + " " + e.subject()).collect(Collectors.toList());
  }
}

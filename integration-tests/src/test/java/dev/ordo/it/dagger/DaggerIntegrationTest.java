package dev.ordo.it.dagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dagger creates the instances, Ordo runs their lifecycles: the two processors compile this
 * package side by side (Dagger writes {@code DaggerWarehouse}, Ordo each {@code Foo_Lifecycle}),
 * and the instances of the Dagger component go to the manual builder. The example of
 * {@code docs/guide.md}, "With Dagger (or another container)".
 */
@Timeout(60)
class DaggerIntegrationTest {

  @Test
  void daggerCreatesTheInstancesAndOrdoRunsTheirLifecycles() {
    Warehouse warehouse = DaggerWarehouse.create();
    Ordo app = Ordo.builder()
        .components(warehouse.api(), warehouse.inventory(), warehouse.database()) // any order
        .requestTracker(warehouse.requestTracker())                               // the one the API was given
        .build();
    // Edges inferred from the @Inject constructors: no @DependsOn anywhere.
    assertEquals(List.of("dev.ordo.it.dagger.StockDatabase", "dev.ordo.it.dagger.Inventory",
        "dev.ordo.it.dagger.InventoryApi"), names(app.startupOrder()));
    assertSame(app.requestTracker(), warehouse.api().tracker());

    app.start(); // each startup hook throws unless what it needs is running
    assertEquals(ApplicationState.RUNNING, app.state());
    assertFalse(app.isDegraded(), app.components()::toString);
    assertTrue(warehouse.api().isListening());
    assertEquals("jdbc:h2:mem:stock", warehouse.database().config().databaseUrl());

    ShutdownReport report = app.stop(); // each stop hook throws unless what it needs still runs
    assertTrue(report.clean(), report::toString);
    assertFalse(warehouse.database().isOpen());
    assertFalse(warehouse.inventory().isLoaded());
  }

  @Test
  void singletonScopeMakesTheInstanceOrdoRunsTheOneItsDependentsUse() {
    Warehouse warehouse = DaggerWarehouse.create();
    assertSame(warehouse.database(), warehouse.inventory().database());
    assertSame(warehouse.inventory(), warehouse.api().inventory());
    assertSame(warehouse.requestTracker(), warehouse.api().tracker());
  }

  @Test
  void anInstanceNotHandedToOrdoIsAConfigurationErrorAtBuild() {
    Warehouse warehouse = DaggerWarehouse.create();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().components(warehouse.api(), warehouse.inventory()).build());
    assertTrue(e.getMessage().startsWith("Component dev.ordo.it.dagger.Inventory depends on"
        + " dev.ordo.it.dagger.StockDatabase, but no instance of it was given to the builder"), e.getMessage());
  }

  @Test
  void runReturnsZeroAfterAStopFromAnotherThread() throws Exception {
    Warehouse warehouse = DaggerWarehouse.create();
    Ordo app = Ordo.builder()
        .components(warehouse.api(), warehouse.inventory(), warehouse.database())
        .requestTracker(warehouse.requestTracker())
        .build();
    CompletableFuture<Integer> running = CompletableFuture.supplyAsync(app::run);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (app.state() != ApplicationState.RUNNING) {
      assertFalse(running.isDone(), () -> "run() returned " + running.join() + " before RUNNING");
      assertTrue(System.nanoTime() < deadline, () -> "not RUNNING within 30s: " + app.state());
      Thread.sleep(5);
    }
    app.stop();
    assertEquals(0, running.get(30, TimeUnit.SECONDS));
    assertFalse(warehouse.database().isOpen());
  }

  private static List<String> names(List<ComponentDescriptor> descriptors) {
    return descriptors.stream().map(ComponentDescriptor::name).collect(Collectors.toList());
  }
}

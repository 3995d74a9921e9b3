package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.it.async.AsyncClient;
import dev.ordo.it.async.AsyncClient_Lifecycle;
import dev.ordo.it.degrade.Checkout;
import dev.ordo.it.degrade.FlakyIndex;
import dev.ordo.it.degrade.Search;
import dev.ordo.it.degrade.Suggestions;
import dev.ordo.it.order.Api;
import dev.ordo.it.order.Api_Admin_Lifecycle;
import dev.ordo.it.order.Cache;
import dev.ordo.it.order.Pool;
import dev.ordo.it.order.Store;
import dev.ordo.it.order.Store_Lifecycle;
import dev.ordo.it.parallel.Barrier;
import dev.ordo.it.parallel.East;
import dev.ordo.it.parallel.North;
import dev.ordo.it.parallel.South;
import dev.ordo.it.rollback.Base;
import dev.ordo.it.rollback.Frontend;
import dev.ordo.it.rollback.Middle;
import dev.ordo.it.rollback.Payments;
import dev.ordo.it.timeout.AfterHanging;
import dev.ordo.it.timeout.Hanging;
import dev.ordo.it.timeout.NeverReached;
import dev.ordo.it.timeout.SlowStarter;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.HookTimeoutException;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.StartupFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real annotated classes, compiled by the processor in this module's build, run by the runtime. */
@Timeout(60)
class LifecycleIntegrationTest {
  private final Journal journal = new Journal();

  @Test
  void startsInDependencyOrderAndStopsInReverse() {
    Ordo app = Ordo.builder()
        .components(new Api.Admin(journal), new Api(journal), new Cache(journal), new Store(journal), new Pool(journal))
        .build();
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(journal.indexOf("start Pool") < journal.indexOf("start Store " + "STARTUP dev.ordo.it.order.Store"));
    assertTrue(journal.indexOf("start Store STARTUP dev.ordo.it.order.Store") < journal.indexOf("start Api"));
    assertTrue(journal.indexOf("start Cache") < journal.indexOf("start Api"), "soft edge orders too");
    assertTrue(journal.indexOf("start Api") < journal.indexOf("start Admin"), "nested component");
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report.toString());
    assertTrue(journal.indexOf("stop Api") < journal.indexOf("stop Store"));
    assertTrue(journal.indexOf("stop Store") < journal.indexOf("stop Pool"));
    assertTrue(journal.indexOf("stop Api") < journal.indexOf("stop Cache"));
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void generatedDescriptorsCarryTheAnnotations() {
    ComponentDescriptor store = Store_Lifecycle.DESCRIPTOR;
    assertTrue(store.critical());
    assertEquals(List.of("dev.ordo.it.order.Pool"), store.hardDependencies());
    assertEquals("migrate", store.startupHook());
    assertEquals(Duration.ofSeconds(10), store.startupTimeout());
    assertEquals("flush", store.shutdownHook());
    assertEquals(null, store.shutdownTimeout());
    ComponentDescriptor admin = Api_Admin_Lifecycle.DESCRIPTOR;
    assertEquals("dev.ordo.it.order.Api.Admin", admin.name());
    assertEquals(List.of("dev.ordo.it.order.Api"), admin.hardDependencies());
    LifecycleController<Store> typed = Store_Lifecycle.of(new Store(journal));
    assertSame(Store_Lifecycle.DESCRIPTOR, typed.descriptor());
  }

  @Test
  void independentComponentsStartAndStopInParallel() {
    // Each hook waits at a 3-party barrier: run one at a time, none could pass it.
    Barrier start = new Barrier(3);
    Barrier stop = new Barrier(3);
    Ordo app = Ordo.builder()
        .components(new North(start, stop), new South(start, stop), new East(start, stop))
        .build();
    assertEquals(3, app.parallelism());
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.stop().clean());
  }

  @Test
  void optionalFailureDegradesAndSkipsHardDependentsTransitively() {
    Ordo app = Ordo.builder()
        .components(new FlakyIndex(journal), new Search(journal), new Suggestions(journal), new Checkout(journal))
        .build();
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.isDegraded());
    assertEquals(ComponentState.FAILED, app.component(FlakyIndex.class).state());
    assertEquals("index corrupt", app.component(FlakyIndex.class).failure().getMessage());
    assertEquals(ComponentState.SKIPPED, app.component(Search.class).state());
    assertEquals(ComponentState.SKIPPED, app.component(Suggestions.class).state());
    assertEquals("hard dependency dev.ordo.it.degrade.Search is SKIPPED",
        app.component(Suggestions.class).failure().getMessage());
    assertEquals(ComponentState.RUNNING, app.component(Checkout.class).state(), "soft edge: starts anyway");
    assertFalse(journal.contains("start Search"));
    app.stop();
    assertFalse(journal.contains("stop FlakyIndex"), "what did not start is not stopped");
  }

  @Test
  void criticalFailureRollsBackInReverseOrder() {
    Ordo app = Ordo.builder()
        .components(new Base(journal), new Middle(journal), new Payments(journal), new Frontend(journal))
        .build();
    StartupFailedException e = assertThrows(StartupFailedException.class, app::start);
    assertEquals(ApplicationState.FAILED, app.state());
    assertEquals("Startup failed; every started component was stopped again. 2 components failed:\n"
        + "  dev.ordo.it.rollback.Payments: java.lang.IllegalStateException: provider refused the credentials\n"
        + "  dev.ordo.it.rollback.Frontend: dev.ordo.runtime.DependencyNotRunningException: startup was"
        + " abandoned: dev.ordo.it.rollback.Payments (critical) is FAILED", e.getMessage());
    assertEquals(List.of("start Base", "start Middle", "stop Middle", "stop Base"), journal.entries());
    assertFalse(journal.contains("stop Payments"));
  }

  @Test
  void hangingHookTimesOutAndItsDependentsAreSkipped() {
    CountDownLatch release = new CountDownLatch(1);
    Ordo app = Ordo.builder().components(new Hanging(release), new AfterHanging()).build();
    app.start();
    assertInstanceOf(HookTimeoutException.class, app.component(Hanging.class).failure());
    assertEquals("dev.ordo.it.timeout.Hanging.connect() did not finish within 200ms",
        app.component(Hanging.class).failure().getMessage());
    assertEquals(ComponentState.SKIPPED, app.component(AfterHanging.class).state());
    app.stop();
    release.countDown();
  }

  @Test
  void stopDuringStartCancelsWhatIsPendingAndStopsWhatStarted() throws Exception {
    SlowStarter slow = new SlowStarter(journal);
    Ordo app = Ordo.builder().components(slow, new NeverReached(journal)).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        app.start();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    starter.start();
    assertTrue(slow.entered().await(30, TimeUnit.SECONDS));
    // Once stopAsync() returns, the start begins nothing more; then the starting hook may finish.
    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    slow.release().countDown();
    ShutdownReport report = stopping.get(30, TimeUnit.SECONDS);
    starter.join(30_000);
    assertEquals(ShutdownReason.MANUAL, report.reason());
    assertTrue(((StartupFailedException) thrown.get()).interruptedByShutdown());
    assertEquals(List.of("start SlowStarter", "stop SlowStarter"), journal.entries());
    assertEquals(ComponentState.SKIPPED, app.component(NeverReached.class).state());
  }

  @Test
  void keyedInstancesOfAGeneratedComponentAndAnOptionalDependencyLeftOut() {
    // Two pools told apart by key; the store depends on Pool, so on both; the API's optional Cache
    // is simply not given.
    Ordo app = Ordo.builder()
        .component("orders-db", new Pool(journal))
        .component("users-db", new Pool(journal))
        .components(new Store(journal), new Api(journal))
        .build();
    app.start();
    try {
      assertEquals(List.of("dev.ordo.it.order.Pool[orders-db]", "dev.ordo.it.order.Pool[users-db]",
          "dev.ordo.it.order.Store", "dev.ordo.it.order.Api"),
          app.components().stream().map(s -> s.name()).collect(java.util.stream.Collectors.toList()));
      assertEquals(ComponentState.RUNNING, app.component(Pool.class, "users-db").state());
      assertEquals(ComponentState.RUNNING, app.component(Api.class).state());
      assertFalse(app.isDegraded());
      assertEquals(2, journal.entries().stream().filter("start Pool"::equals).count());
      assertTrue(journal.entries().lastIndexOf("start Pool") < journal.indexOf("start Store STARTUP dev.ordo.it.order.Store"));
    } finally {
      app.stop();
    }
  }

  @Test
  void missingDependencyInstanceIsAClearErrorAtBuild() {
    // The hard dependency (Store) is an error; the optional one (Cache) is simply left out.
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().components(new Pool(journal), new Api(journal)).build());
    assertEquals("Component dev.ordo.it.order.Api depends on dev.ordo.it.order.Store, but no instance of it"
        + " was given to the builder: add .component(...) with an instance of dev.ordo.it.order.Store, make the"
        + " dependency optional (@DependsOn(value = ..., optional = true)) to start without it, or remove the"
        + " @DependsOn.", e.getMessage());
  }

  @Test
  void asyncHooksAndGeneratedHealthChecks() throws Exception {
    AsyncClient client = new AsyncClient();
    Ordo app = Ordo.builder().component(client).build();
    CompletableFuture<Void> starting = CompletableFuture.runAsync(app::start);
    assertFalse(starting.isDone());
    client.connected.complete(null);
    starting.get(30, TimeUnit.SECONDS);
    assertEquals(ComponentState.RUNNING, app.component(AsyncClient.class).state());

    AsyncClient_Lifecycle controller = AsyncClient_Lifecycle.of(client);
    assertEquals(List.of("reachable", "pool", "verify"),
        controller.descriptor().healthChecks().stream().map(c -> c.name()).toList());
    assertEquals(Duration.ofMillis(250), controller.descriptor().healthChecks().get(1).timeout());
    assertEquals(Health.up(), controller.check(0, null));
    assertEquals(Health.up().withDetail("active", 3), controller.check(1, null));
    assertEquals(Health.up(), controller.check(2, null));
    client.healthy = false;
    assertEquals(Health.down(), controller.check(0, null));
    assertThrows(IllegalStateException.class, () -> controller.check(2, null));

    app.stop();
    assertTrue(client.closed);
  }
}

package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.it.heal.Discovery;
import dev.ordo.it.heal.Registry;
import dev.ordo.it.heal.Registry_Lifecycle;
import dev.ordo.runtime.ComponentRecovery;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RetryPolicy;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.health.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Self-healing end to end: {@code @OnStartup(retry = @Retry)} and {@code @HealthCheck(restart =
 * true)} compiled by the processor, run by the runtime on its real clock (delays of milliseconds).
 */
@Timeout(60)
class HealingIntegrationTest {
  private final Journal journal = new Journal();
  private final List<ComponentRecovery> recoveries = new CopyOnWriteArrayList<>();

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static ComponentStatus status(Ordo app, Class<?> type) {
    return app.component(type);
  }

  @Test
  void theGeneratedControllerCarriesThePolicy() {
    assertEquals(RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofMillis(40)),
        Registry_Lifecycle.DESCRIPTOR.retryPolicy());
    assertTrue(Registry_Lifecycle.DESCRIPTOR.healthChecks().get(0).restart());
  }

  @Test
  void aRegistryDownAtDeployTimeHealsAndItsDependentStarts() throws Exception {
    Registry registry = new Registry(journal);
    registry.unavailableFor.set(3);
    Ordo app = Ordo.builder()
        .components(registry, new Discovery(journal))
        .health(HealthOptions.defaults().interval(Duration.ofHours(1)).failureThreshold(1))
        .listener(new LifecycleListener() {
          @Override
          public void componentRecovered(ComponentRecovery recovery) {
            recoveries.add(recovery);
          }
        })
        .build();
    app.start();
    assertTrue(app.isDegraded());
    await("Discovery RUNNING", () -> status(app, Discovery.class).state() == ComponentState.RUNNING);
    assertEquals(ComponentState.RUNNING, status(app, Registry.class).state());
    assertFalse(app.isDegraded());
    assertEquals(List.of("start Registry", "start Registry", "start Registry", "start Registry", "start Discovery"),
        journal.entries());
    await("health UP", () -> app.health().refresh().status() == HealthStatus.UP);
    await("two recoveries heard", () -> recoveries.size() == 2);
    assertEquals(ComponentRecovery.Reason.RETRY, recoveries.get(0).reason());
    assertEquals(4, recoveries.get(0).attempts());
    assertEquals(ComponentRecovery.Reason.DEPENDENCY, recoveries.get(1).reason());

    // The connection breaks: the failed check restarts the registry; Discovery keeps running.
    registry.connected.set(false);
    app.health().refresh();
    await("the restart", () -> recoveries.size() == 3);
    assertEquals(ComponentRecovery.Reason.RESTART, recoveries.get(2).reason());
    assertEquals(List.of("stop Registry", "start Registry"), journal.entries().subList(5, 7));
    await("health UP again", () -> app.health().refresh().status() == HealthStatus.UP);

    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report.toString());
    assertEquals(List.of("stop Discovery", "stop Registry"), journal.entries().subList(7, 9));
  }
}

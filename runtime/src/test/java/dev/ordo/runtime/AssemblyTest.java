package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.CheckResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application assembled from a compile-time plan ({@link Ordo.Builder#assemble}), driven the
 * way generated code drives it, with hand-written controllers (issue 11).
 */
@Timeout(60)
class AssemblyTest {
  static final class Pool {}

  static final class Store {}

  static final class Index {}

  static final class Recommendations {}

  static final class Api {}

  static final class Audit {}

  private static final String P = "dev.ordo.runtime.AssemblyTest.";

  private final List<String> journal = new CopyOnWriteArrayList<>();

  /**
   * The shop: 0 Pool (critical), 1 Store (critical, hard on 0), 2 Index (hard on 1),
   * 3 Recommendations (hard on 2), 4 Api (critical, hard on 1, soft on 2).
   */
  private static final AssemblyPlan SHOP = new AssemblyPlan("com.acme.Shop",
      new Class<?>[] {Pool.class, Store.class, Index.class, Recommendations.class, Api.class},
      new String[5], new boolean[] {true, true, false, false, true},
      new int[][] {{}, {0}, {1}, {2}, {1}},
      new int[][] {{}, {}, {}, {}, {2}});

  private ComponentDescriptor descriptor(int index, AssemblyPlan plan) {
    ComponentDescriptor.Builder b = ComponentDescriptor.builder(plan.type(index)).onStartup("start", null)
        .onShutdown("stop", null);
    if (plan.critical(index)) {
      b.critical();
    }
    return b.build();
  }

  private LifecycleController<?> controller(int index, AssemblyPlan plan) {
    return RecordingController.of(descriptor(index, plan), new Object[] {index}, journal);
  }

  /** What generated code does: add the controller of every included component, in order. */
  private Ordo assemble(AssemblyPlan plan, Ordo.Builder builder, Class<?>... without) {
    Ordo.Assembly assembly = builder.assemble(plan, List.of(without));
    for (int i = 0; i < plan.size(); i++) {
      if (assembly.includes(i)) {
        assembly.add(i, controller(i, plan));
      }
    }
    return assembly.build();
  }

  private int indexOf(String entry) {
    int i = journal.indexOf(entry);
    assertTrue(i >= 0, entry + " missing from " + journal);
    return i;
  }

  private static List<String> names(List<ComponentStatus> statuses) {
    return statuses.stream().map(ComponentStatus::name).collect(Collectors.toList());
  }

  @Test
  void anAssembledApplicationStartsInPlanOrderAndStopsInReverse() {
    Ordo app = assemble(SHOP, Ordo.builder());
    assertEquals(List.of(P + "Pool", P + "Store", P + "Index", P + "Recommendations", P + "Api"),
        app.startupOrder().stream().map(ComponentDescriptor::name).collect(Collectors.toList()));
    assertEquals(ShutdownReport.EXIT_OK, runAndStop(app).exitCode());
    assertTrue(indexOf("start " + P + "Pool") < indexOf("start " + P + "Store"), journal::toString);
    assertTrue(indexOf("start " + P + "Store") < indexOf("start " + P + "Index"), journal::toString);
    assertTrue(indexOf("start " + P + "Index") < indexOf("start " + P + "Recommendations"), journal::toString);
    assertTrue(indexOf("start " + P + "Index") < indexOf("start " + P + "Api"), journal::toString); // soft edge
    assertTrue(indexOf("stop " + P + "Api") < indexOf("stop " + P + "Index"), journal::toString);
    assertTrue(indexOf("stop " + P + "Recommendations") < indexOf("stop " + P + "Index"), journal::toString);
    assertTrue(indexOf("stop " + P + "Index") < indexOf("stop " + P + "Store"), journal::toString);
    assertTrue(indexOf("stop " + P + "Store") < indexOf("stop " + P + "Pool"), journal::toString);
  }

  private static ShutdownReport runAndStop(Ordo app) {
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    return app.stop();
  }

  @Test
  void leavingOutAComponentLeavesOutItsHardDependentsAndKeepsItsSoftOnes() {
    Ordo.Assembly assembly = Ordo.builder().assemble(SHOP, List.of(Index.class));
    assertTrue(assembly.includes(0));
    assertTrue(assembly.includes(1));
    assertFalse(assembly.includes(2)); // left out
    assertFalse(assembly.includes(3)); // hard-depends on Index
    assertTrue(assembly.includes(4)); // soft-depends on Index: its edge is dropped
    for (int i : new int[] {0, 1, 4}) {
      assembly.add(i, controller(i, SHOP));
    }
    Ordo app = assembly.build();
    assertEquals(List.of(P + "Pool", P + "Store", P + "Api"), names(app.components()));
    ShutdownReport report = runAndStop(app);
    assertFalse(app.isDegraded());
    assertEquals(List.of(P + "Pool", P + "Store", P + "Api"), names(report.components()));
    assertEquals(ShutdownReport.EXIT_OK, report.exitCode());
    assertFalse(journal.contains("start " + P + "Index"), journal::toString);
  }

  @Test
  void aCriticalComponentCannotBeLeftOut() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().assemble(SHOP, List.of(Store.class)));
    // Store itself, and Api, which is critical and hard-depends on it; both named.
    assertEquals(P + "Store is @Critical: the application cannot run without it, so it cannot be left out with"
        + " without(Store.class).\n"
        + P + "Api is @Critical and hard-depends on " + P + "Store, which was left out with without(Store.class)."
        + " Keep " + P + "Store, or make the dependency optional.", e.getMessage());
  }

  @Test
  void aCriticalComponentThatHardDependsOnALeftOutOneIsAnErrorNamingBoth() {
    AssemblyPlan plan = new AssemblyPlan("com.acme.Shop",
        new Class<?>[] {Index.class, Recommendations.class, Api.class}, new String[3],
        new boolean[] {false, false, true}, new int[][] {{}, {0}, {1}}, new int[][] {{}, {}, {}});
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().assemble(plan, List.of(Index.class)));
    assertEquals(P + "Api is @Critical and hard-depends on " + P + "Recommendations, which was left out with"
        + " without(Index.class). Keep " + P + "Recommendations, or make the dependency optional.", e.getMessage());
  }

  @Test
  void aClassThatIsNotAComponentOfThePlanIsAnError() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().assemble(SHOP, List.of(Audit.class)));
    assertEquals(P + "Audit is not a component of com.acme.Shop; the components are " + P + "Pool, " + P + "Store, "
        + P + "Index, " + P + "Recommendations, " + P + "Api.", e.getMessage());
  }

  @Test
  void aLongListOfComponentsIsCut() {
    Class<?>[] types = {Pool.class, Store.class, Index.class, Recommendations.class, Api.class, String.class,
        Integer.class, Long.class, Short.class, Byte.class, Double.class, Float.class};
    int[][] none = new int[types.length][];
    AssemblyPlan plan = new AssemblyPlan("com.acme.Big", types, new String[types.length],
        new boolean[types.length], none, none);
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().assemble(plan, Set.of(Audit.class)));
    assertTrue(e.getMessage().endsWith(", java.lang.Short, java.lang.Byte and 2 more."), e.getMessage());
  }

  @Test
  void addIsCheckedAndBuildNamesWhatIsMissing() {
    Ordo.Assembly assembly = Ordo.builder().assemble(SHOP, List.of(Index.class));
    IllegalArgumentException leftOut = assertThrows(IllegalArgumentException.class,
        () -> assembly.add(2, controller(2, SHOP)));
    assertEquals("Component #2 (" + P + "Index) was left out", leftOut.getMessage());
    assertThrows(IllegalArgumentException.class, () -> assembly.add(5, controller(0, SHOP)));
    assertThrows(IllegalArgumentException.class, () -> assembly.add(-1, controller(0, SHOP)));
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> assembly.add(0, controller(1, SHOP)));
    assertEquals("Component #0 is a " + P + "Pool, but the controller given is one of " + Store.class.getName(),
        wrongType.getMessage());
    assembly.add(0, controller(0, SHOP));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> assembly.add(0, controller(0, SHOP)));
    assertEquals("Component #0 (" + P + "Pool) was added twice", twice.getMessage());

    IllegalStateException missing = assertThrows(IllegalStateException.class, assembly::build);
    assertEquals("No controller was added for 2 components of com.acme.Shop: #1 " + P + "Store, #4 " + P + "Api",
        missing.getMessage());
    assembly.add(1, controller(1, SHOP)).add(4, controller(4, SHOP));
    Ordo app = assembly.build();
    assertThrows(IllegalStateException.class, assembly::build);
    assertThrows(IllegalStateException.class, () -> assembly.add(2, controller(2, SHOP)));
    assertEquals(3, app.components().size());
  }

  @Test
  void theAssemblyGivesTheApplicationsTrackerAndEventsBeforeItIsBuilt() {
    RequestTracker mine = new RequestTracker();
    Ordo.Assembly given = Ordo.builder().requestTracker(mine).assemble(SHOP, List.of(Index.class));
    assertSame(mine, given.requestTracker());
    Ordo.Assembly made = Ordo.builder().assemble(SHOP, List.of(Index.class));
    for (Ordo.Assembly a : List.of(given, made)) {
      for (int i : new int[] {0, 1, 4}) {
        a.add(i, controller(i, SHOP));
      }
    }
    Ordo app = made.build();
    assertSame(made.requestTracker(), app.requestTracker());
    assertSame(made.events(), app.events());
    assertSame(mine, given.build().requestTracker());
  }

  @Test
  void settingsAreResolvedAndCheckedAsByBuild() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(2)).drainTimeout(Duration.ofSeconds(2)).assemble(SHOP, List.of()));
    assertTrue(e.getMessage().startsWith("The shutdown budget leaves the stop phase nothing"), e.getMessage());
  }

  @Test
  void keyedInstancesOfThePlanShowTheirKeysEverywhere() throws Exception {
    // Two pools for two databases; the store needs both, the audit only the users' one.
    AssemblyPlan plan = new AssemblyPlan("com.acme.Shop",
        new Class<?>[] {Pool.class, Pool.class, Store.class, Audit.class},
        new String[] {"orders-db", "users-db", null, null}, new boolean[4],
        new int[][] {{}, {}, {0, 1}, {1}}, new int[][] {{}, {}, {}, {}});
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo.Assembly assembly = Ordo.builder().events(EventOptions.defaults().sink(sink)).assemble(plan, List.of());
    for (int i = 0; i < plan.size(); i++) {
      ComponentDescriptor.Builder d = ComponentDescriptor.builder(plan.type(i)).onStartup("start", null);
      if (plan.type(i) == Pool.class) {
        d.healthCheck("ping", "ping", null, null);
      }
      assembly.add(i, RecordingController.of(d.build(), new Object(), journal));
    }
    Ordo app = assembly.build();
    app.start();
    ShutdownReport report;
    try {
      List<String> expected = List.of(P + "Pool[orders-db]", P + "Pool[users-db]", P + "Store", P + "Audit");
      assertEquals(expected, names(app.components()));
      assertEquals(P + "Pool[users-db]", app.component(Pool.class, "users-db").name());
      assertEquals("users-db", app.component(Pool.class, "users-db").component().instanceKey());
      assertThrows(IllegalArgumentException.class, () -> app.component(Pool.class));
      List<String> checked = app.health().refresh().checks().stream().map(CheckResult::component)
          .collect(Collectors.toList());
      assertEquals(List.of(P + "Pool[orders-db]", P + "Pool[users-db]"), checked);
      assertTrue(app.health().report().components().stream().anyMatch(s -> s.name().equals(P + "Pool[orders-db]")));
    } finally {
      report = app.stop();
    }
    assertEquals(List.of(P + "Pool[orders-db]", P + "Pool[users-db]", P + "Store", P + "Audit"),
        names(report.components()));
    assertTrue(indexOf("start " + P + "Pool[orders-db]") < indexOf("start " + P + "Store"), journal::toString);
    assertTrue(indexOf("start " + P + "Pool[users-db]") < indexOf("start " + P + "Store"), journal::toString);
    // Lifecycle events name the instance (the shutdown delivered them before it returned).
    Set<String> subjects = sink.events().stream().map(Event::subject).collect(Collectors.toSet());
    assertTrue(subjects.contains(P + "Pool[orders-db]"), subjects::toString);
    assertTrue(subjects.contains(P + "Pool[users-db]"), subjects::toString);
  }

  @Test
  void componentsGivenByHandComeAfterThePlansAndDependByClassOnEveryInstance() throws Exception {
    AssemblyPlan plan = new AssemblyPlan("com.acme.Shop",
        new Class<?>[] {Pool.class, Pool.class, Store.class}, new String[] {"orders-db", "users-db", null},
        new boolean[3], new int[][] {{}, {}, {0}}, new int[][] {{}, {}, {}});
    CompletableFuture<Void> usersOpen = new CompletableFuture<>();
    // By hand: an audit that depends on every pool, and, optionally, on an index nobody gave.
    Ordo.Builder builder = Ordo.builder().controller(RecordingController.of(ComponentDescriptor.builder(Audit.class)
        .dependsOn(Pool.class.getName()).dependsOnOptionally(Index.class.getName()).build(), new Audit(), journal));
    Ordo.Assembly assembly = builder.assemble(plan, List.of());
    assembly.add(0, RecordingController.of(ComponentDescriptor.builder(Pool.class).build(), new Pool(), journal));
    assembly.add(1, RecordingController.gated(ComponentDescriptor.builder(Pool.class).build(), new Pool(), journal,
        usersOpen));
    // The store's descriptor says it depends on Pool (every instance), the plan only on orders-db: the plan wins.
    assembly.add(2, RecordingController.of(ComponentDescriptor.builder(Store.class).dependsOn(Pool.class.getName())
        .build(), new Store(), journal));
    Ordo app = assembly.build();
    assertEquals(List.of(P + "Pool[orders-db]", P + "Pool[users-db]", P + "Store", P + "Audit"),
        names(app.components()));
    CompletableFuture<Void> started = CompletableFuture.runAsync(app::start);
    try {
      EngineProbe.await(Duration.ofSeconds(30), "the store RUNNING while users-db is starting",
          () -> app.component(Store.class).state() == ComponentState.RUNNING);
      assertEquals(ComponentState.STARTING, app.component(Pool.class, "users-db").state());
      assertEquals(ComponentState.PENDING, app.component(Audit.class).state()); // waits for both pools
      usersOpen.complete(null);
      started.get(30, TimeUnit.SECONDS);
      assertEquals(ComponentState.RUNNING, app.component(Audit.class).state());
    } finally {
      usersOpen.complete(null);
      app.stop();
    }
  }

  @Test
  void aComponentGivenByHandThatHardDependsOnALeftOutOneSaysSo() {
    Ordo.Builder builder = Ordo.builder().controller(RecordingController.of(ComponentDescriptor.builder(Audit.class)
        .dependsOn(Recommendations.class.getName()).build(), new Audit(), journal));
    Ordo.Assembly assembly = builder.assemble(SHOP, List.of(Index.class));
    for (int i : new int[] {0, 1, 4}) {
      assembly.add(i, controller(i, SHOP));
    }
    ConfigurationException e = assertThrows(ConfigurationException.class, assembly::build);
    assertEquals("Component " + P + "Audit depends on " + Recommendations.class.getName().replace('$', '.')
        + ", which was left out with without(Index.class): keep it, or make the dependency optional"
        + " (@DependsOn(value = ..., optional = true)) to start without it.", e.getMessage());
  }

  @Test
  void aCriticalFailureOfAnAssembledApplicationRollsBack() {
    Ordo.Assembly assembly = Ordo.builder().assemble(SHOP, List.of(Index.class));
    assembly.add(0, controller(0, SHOP));
    assembly.add(1, RecordingController.failing(descriptor(1, SHOP), new Store(), journal));
    assembly.add(4, controller(4, SHOP));
    Ordo app = assembly.build();
    StartupFailedException e = assertThrows(StartupFailedException.class, app::start);
    assertEquals(ApplicationState.FAILED, app.state());
    assertTrue(e.failures().containsKey(P + "Store"), e.failures()::toString);
    assertTrue(journal.contains("stop " + P + "Pool"), journal::toString);
  }
}

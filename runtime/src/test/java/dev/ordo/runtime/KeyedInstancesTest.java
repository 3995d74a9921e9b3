package dev.ordo.runtime;

import static dev.ordo.runtime.EngineProbe.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.health.CheckResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several instances of one class on the manual builder ({@code component(key, instance)}), and
 * dependencies resolved by key or class: a dependency that was not given is an error when hard,
 * and is left out when optional (issue 11).
 */
@Timeout(60)
class KeyedInstancesTest {
  static final class Pool {}

  static final class Store {}

  private static final String POOL = "dev.ordo.runtime.KeyedInstancesTest.Pool";
  private static final String STORE = "dev.ordo.runtime.KeyedInstancesTest.Store";

  private final List<String> journal = new CopyOnWriteArrayList<>();

  private static ComponentDescriptor pool() {
    return ComponentDescriptor.builder(Pool.class).onStartup("open", null).healthCheck("ping", "ping", null, null)
        .build();
  }

  private static ComponentDescriptor.Builder store() {
    return ComponentDescriptor.builder(Store.class).onStartup("open", null);
  }

  private int indexOf(String entry) {
    int i = journal.indexOf(entry);
    assertTrue(i >= 0, entry + " missing from " + journal);
    return i;
  }

  @Test
  void twoKeyedInstancesOfOneClassShowTheirKeysEverywhere() {
    Ordo app = Ordo.builder()
        .controller("orders-db", RecordingController.of(pool(), new Pool(), journal))
        .controller("users-db", RecordingController.of(pool(), new Pool(), journal))
        .controller(RecordingController.of(store().dependsOn(Pool.class.getName()).build(), new Store(), journal))
        .build();
    app.start();
    try {
      assertEquals(List.of(POOL + "[orders-db]", POOL + "[users-db]", STORE),
          app.components().stream().map(ComponentStatus::name).collect(Collectors.toList()));
      ComponentStatus orders = app.component(Pool.class, "orders-db");
      assertEquals(POOL + "[orders-db]", orders.name());
      assertEquals("orders-db", orders.component().instanceKey());
      assertEquals(Pool.class.getName() + "[orders-db]", orders.component().key());
      assertEquals(ComponentState.RUNNING, orders.state());
      assertEquals(STORE, app.component(Store.class).name());
      assertNull(app.component(Store.class).component().instanceKey());

      IllegalArgumentException ambiguous = assertThrows(IllegalArgumentException.class, () -> app.component(Pool.class));
      assertTrue(ambiguous.getMessage().contains("2 instances of " + Pool.class.getName()), ambiguous.getMessage());
      assertTrue(ambiguous.getMessage().contains("orders-db, users-db"), ambiguous.getMessage());
      assertTrue(ambiguous.getMessage().contains("component(Pool.class, key)"), ambiguous.getMessage());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> app.component(Pool.class, "audit-db"));
      assertTrue(unknown.getMessage().contains("orders-db, users-db"), unknown.getMessage());

      // Health checks run under the keyed names.
      List<String> checked = app.health().refresh().checks().stream().map(CheckResult::component)
          .collect(Collectors.toList());
      assertEquals(List.of(POOL + "[orders-db]", POOL + "[users-db]"), checked);
      assertTrue(app.startupOrder().get(0).toString().startsWith(POOL + "[orders-db]"));
    } finally {
      ShutdownReport report = app.stop();
      assertEquals(List.of(POOL + "[orders-db]", POOL + "[users-db]", STORE),
          report.components().stream().map(ComponentStatus::name).collect(Collectors.toList()));
    }
    // The hooks hear the keyed name too; the store stops before either pool.
    assertTrue(indexOf("stop " + STORE) < indexOf("stop " + POOL + "[orders-db]"), journal::toString);
    assertTrue(indexOf("stop " + STORE) < indexOf("stop " + POOL + "[users-db]"), journal::toString);
  }

  @Test
  void aDependentOfTheClassWaitsForEveryInstance() throws Exception {
    CompletableFuture<Void> usersOpen = new CompletableFuture<>();
    Ordo app = Ordo.builder()
        .controller(RecordingController.of(store().dependsOn(Pool.class.getName()).build(), new Store(), journal))
        .controller("orders-db", RecordingController.of(pool(), new Pool(), journal))
        .controller("users-db", RecordingController.gated(pool(), new Pool(), journal, usersOpen))
        .build();
    CompletableFuture<Void> started = CompletableFuture.runAsync(app::start);
    try {
      await(Duration.ofSeconds(30), "orders-db RUNNING and users-db STARTING",
          () -> app.component(Pool.class, "orders-db").state() == ComponentState.RUNNING
              && app.component(Pool.class, "users-db").state() == ComponentState.STARTING);
      assertEquals(ComponentState.PENDING, app.component(Store.class).state());
      assertFalse(started.isDone());
      usersOpen.complete(null);
      started.get(30, TimeUnit.SECONDS);
      assertEquals(ComponentState.RUNNING, app.component(Store.class).state());
      assertTrue(indexOf("start " + POOL + "[users-db]") < indexOf("start " + STORE), journal::toString);
    } finally {
      usersOpen.complete(null);
      app.stop();
    }
  }

  @Test
  void aDependencyOnAKeyNamesOneInstance() throws Exception {
    CompletableFuture<Void> usersOpen = new CompletableFuture<>();
    Ordo app = Ordo.builder()
        .controller("orders-db", RecordingController.of(pool(), new Pool(), journal))
        .controller("users-db", RecordingController.gated(pool(), new Pool(), journal, usersOpen))
        .controller(RecordingController.of(store().dependsOn(Pool.class.getName() + "[orders-db]").build(),
            new Store(), journal))
        .build();
    CompletableFuture<Void> started = CompletableFuture.runAsync(app::start);
    try {
      await(Duration.ofSeconds(30), "the store RUNNING while users-db is still starting",
          () -> app.component(Store.class).state() == ComponentState.RUNNING);
      assertEquals(ComponentState.STARTING, app.component(Pool.class, "users-db").state());
    } finally {
      usersOpen.complete(null);
      started.get(30, TimeUnit.SECONDS);
      app.stop();
    }
  }

  @Test
  void anUnkeyedInstanceIsTheOneADependencyOnTheClassMeans() throws Exception {
    // The unkeyed instance's key is the class's binary name: a dependency on the class is it.
    CompletableFuture<Void> replicaOpen = new CompletableFuture<>();
    Ordo app = Ordo.builder()
        .controller(RecordingController.of(pool(), new Pool(), journal))
        .controller("replica", RecordingController.gated(pool(), new Pool(), journal, replicaOpen))
        .controller(RecordingController.of(store().dependsOn(Pool.class.getName()).build(), new Store(), journal))
        .build();
    CompletableFuture<Void> started = CompletableFuture.runAsync(app::start);
    try {
      await(Duration.ofSeconds(30), "the store RUNNING while the replica is still starting",
          () -> app.component(Store.class).state() == ComponentState.RUNNING);
      assertEquals(ComponentState.STARTING, app.component(Pool.class, "replica").state());
    } finally {
      replicaOpen.complete(null);
      started.get(30, TimeUnit.SECONDS);
      app.stop();
    }
  }

  @Test
  void aKeyedComponentGivenAsAnInstanceFindsItsController() {
    // component(key, instance) with an instance that is its own controller (as a hand-written one is).
    Ordo app = Ordo.builder().component("orders-db", RecordingController.of(pool(), new Pool(), journal)).build();
    app.start();
    app.stop();
    assertEquals(List.of("start " + POOL + "[orders-db]", "stop " + POOL + "[orders-db]"), journal);
  }

  @Test
  void twoInstancesWithOneKeyAreGivenTwice() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller("orders-db", RecordingController.of(pool(), new Pool(), journal))
        .controller("orders-db", RecordingController.of(pool(), new Pool(), journal))
        .build());
    assertTrue(e.getMessage().startsWith("Component " + POOL + "[orders-db] was given twice."), e.getMessage());
    assertTrue(e.getMessage().contains("component(\"some-key\", instance)"), e.getMessage());
  }

  @Test
  void oneObjectUnderTwoKeysIsRefused() {
    Pool shared = new Pool();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller("orders-db", RecordingController.of(pool(), shared, journal))
        .controller("users-db", RecordingController.of(pool(), shared, journal))
        .build());
    assertTrue(e.getMessage().startsWith("The same instance of " + Pool.class.getName() + " was given twice, as "
        + POOL + "[orders-db] and as " + POOL + "[users-db]"), e.getMessage());
    assertTrue(journal.isEmpty(), "nothing ran: " + journal);
  }

  @Test
  void twoUnkeyedInstancesOfOneClassAreGivenTwiceAndTheMessageSuggestsKeys() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(RecordingController.of(pool(), new Pool(), journal))
        .controller(RecordingController.of(pool(), new Pool(), journal))
        .build());
    assertTrue(e.getMessage().startsWith("Component " + POOL + " was given twice."), e.getMessage());
    assertTrue(e.getMessage().contains("give each a key of its own: component(\"some-key\", instance)"),
        e.getMessage());
  }

  @Test
  void keysMustBeNonEmptyWithoutWhitespaceOrBrackets() {
    for (String key : new String[] {"", "orders db", "orders\tdb", "db[1]", "]"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Ordo.builder().component(key, new Object()), key);
      assertTrue(e.getMessage().startsWith("Invalid instance key '" + key + "'"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> Ordo.builder().controller(key, RecordingController.of(pool(), new Pool(), journal)), key);
      assertThrows(IllegalArgumentException.class, () -> pool().withKey(key), key);
    }
    assertThrows(NullPointerException.class, () -> Ordo.builder().component(null, new Object()));
  }

  @Test
  void withKeyCopiesTheDescriptorUnderAKeyedName() {
    ComponentDescriptor d = store().critical().dependsOn("a.B").dependsOnOptionally("a.C").build();
    ComponentDescriptor keyed = d.withKey("eu");
    assertEquals(Store.class.getName() + "[eu]", keyed.key());
    assertEquals(STORE + "[eu]", keyed.name());
    assertEquals("eu", keyed.instanceKey());
    assertNull(d.instanceKey());
    assertEquals(d.type(), keyed.type());
    assertTrue(keyed.critical());
    assertEquals(d.hardDependencies(), keyed.hardDependencies());
    assertEquals(d.softDependencies(), keyed.softDependencies());
    assertEquals(d.startupHook(), keyed.startupHook());
  }

  @Test
  void aMissingOptionalDependencyIsLeftOutAndTheDependentStarts() {
    Ordo app = Ordo.builder()
        .controller(RecordingController.of(store().dependsOnOptionally(Pool.class.getName()).build(), new Store(),
            journal))
        .build();
    app.start();
    try {
      assertEquals(ComponentState.RUNNING, app.component(Store.class).state());
      assertFalse(app.isDegraded());
      assertEquals(1, app.components().size());
    } finally {
      app.stop();
    }
  }

  @Test
  void aMissingHardDependencyIsStillAnError() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(RecordingController.of(store().dependsOn(Pool.class.getName())
            .dependsOnOptionally("com.acme.Cache").build(), new Store(), journal))
        .build());
    assertEquals("Component " + STORE + " depends on " + POOL + ", but no instance of it was given to the builder:"
        + " add .component(...) with an instance of " + POOL + ", make the dependency optional"
        + " (@DependsOn(value = ..., optional = true)) to start without it, or remove the @DependsOn.",
        e.getMessage());
  }
}

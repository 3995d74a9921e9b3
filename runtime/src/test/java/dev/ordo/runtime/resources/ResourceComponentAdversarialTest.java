package dev.ordo.runtime.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.StartupFailedException;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeLoader;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Managed resources in components, attacked: one resource in a final field of two components (the
 * one it came from, and one that uses it), and an eager load that hangs past the startup timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResourceComponentAdversarialTest {
  static final class Owner {
    final ManagedResource<FakeModel> model;

    Owner(ManagedResource<FakeModel> model) {
      this.model = model;
    }
  }

  /** Depends on Owner and keeps its resource in a final field of its own. */
  static final class User {
    final ManagedResource<FakeModel> model;

    User(Owner owner) {
      this.model = owner.model;
    }
  }

  private static <C> LifecycleController<C> controller(Class<C> type, C component, ManagedResource<?> r,
      boolean failsToStart, Class<?> dependency) {
    ComponentDescriptor.Builder d = ComponentDescriptor.builder(type).onStartup("start", null).resources("model");
    if (dependency != null) {
      d.dependsOn(dependency.getName());
    } else {
      d.critical();
    }
    return new LifecycleController<>(d.build(), component) {
      @Override
      public CompletionStage<?> start(LifecycleContext context) {
        if (failsToStart) {
          throw new IllegalStateException("the user's own start fails");
        }
        return COMPLETED;
      }

      @Override
      public List<ManagedResource<?>> resources() {
        return List.of(r);
      }
    };
  }

  @Test
  void anOptionalUserWhoseStartFailsLeavesTheSharedResourceServingItsOwner() throws Exception {
    FakeLoader loader = new FakeLoader();
    Owner owner = new Owner(ManagedResource.builder("m", loader).initialVersion("v1").build());
    User user = new User(owner);
    Ordo app = Ordo.builder()
        .controller(controller(Owner.class, owner, owner.model, false, null))
        .controller(controller(User.class, user, user.model, true, Owner.class))
        .build();
    app.start();
    try {
      assertEquals(ComponentState.FAILED, app.component(User.class).state());
      assertEquals(ComponentState.RUNNING, app.component(Owner.class).state());
      // The owner still serves with it: the user's failed start did not close it.
      assertEquals(ResourceState.READY, owner.model.state());
      try (Lease<FakeModel> lease = owner.model.acquire()) {
        lease.get().use();
      }
      assertFalse(loader.last("v1").closed());
    } finally {
      app.stop();
    }
    // The owner's stop, the last holder's, closes it.
    assertEquals(ResourceState.CLOSED, owner.model.state());
    while (!loader.last("v1").closed()) {
      Thread.sleep(1);
    }
    assertEquals(1, loader.loads.get());
  }

  @Test
  void aSharedResourceClosesOnceWhenTheLastOfItsComponentsStops() throws Exception {
    FakeLoader loader = new FakeLoader();
    Owner owner = new Owner(ManagedResource.builder("m", loader).initialVersion("v1").build());
    User user = new User(owner);
    Ordo app = Ordo.builder()
        .controller(controller(Owner.class, owner, owner.model, false, null))
        .controller(controller(User.class, user, user.model, false, Owner.class))
        .build();
    app.start();
    assertEquals(ComponentState.RUNNING, app.component(User.class).state());
    app.stop();
    assertEquals(ResourceState.CLOSED, owner.model.state());
    while (!loader.last("v1").closed()) {
      Thread.sleep(1);
    }
    assertEquals(1, loader.last("v1").closes.get());
    assertEquals(1, loader.loads.get());
  }

  @Test
  void anEagerLoadThatHangsPastTheStartupTimeoutFailsACriticalStartAndItsLateValueIsUnloaded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<FakeModel> made = new CopyOnWriteArrayList<>();
    Owner owner = new Owner(ManagedResource.<FakeModel>builder("m", version -> {
      while (true) { // ignores interrupts: a native load that cannot be stopped
        try {
          release.await();
          break;
        } catch (InterruptedException ignored) {
          // goes on
        }
      }
      FakeModel m = new FakeModel(version);
      made.add(m);
      return m;
    }).initialVersion("v1").build());
    ComponentDescriptor d = ComponentDescriptor.builder(Owner.class).critical()
        .onStartup("start", Duration.ofMillis(200)).resources("model").build();
    LifecycleController<Owner> c = new LifecycleController<>(d, owner) {
      @Override
      public List<ManagedResource<?>> resources() {
        return List.of(owner.model);
      }
    };
    Ordo app = Ordo.builder().controller(c).build();
    try {
      assertThrows(StartupFailedException.class, app::start);
      assertEquals(ResourceState.CLOSED, owner.model.state());
      release.countDown();
      while (made.isEmpty() || !made.get(0).closed()) { // unloaded by the load's own thread when it ends
        Thread.sleep(1);
      }
      assertEquals(Optional.empty(), owner.model.currentVersion());
    } finally {
      release.countDown();
      app.stop();
    }
  }
}

package dev.ordo.runtime.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeLoader;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeModel;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One managed resource in a final field of two components: the one it came from, and one that uses it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedResourceTest {
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
}

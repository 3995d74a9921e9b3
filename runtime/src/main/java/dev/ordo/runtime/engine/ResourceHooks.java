package dev.ordo.runtime.engine;

import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.resources.ManagedResource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A component's start and stop with its managed resources ({@link LifecycleController#resources()}):
 * the eager resources load before the startup hook, inside the same hook call, so that a failed
 * load is the component's failed start (critical or optional, timed out with it); the resources
 * close after the shutdown hook, inside the same hook call, waiting for their leases until the
 * hook's deadline and force-closing what is still leased then. Every start and stop of the engine
 * (startup, stop phase, the stop of a late start, retries and restarts) goes through here.
 */
final class ResourceHooks {
  private ResourceHooks() {}

  /**
   * Called by the thread that runs the start hook (a worker of the engine, within the hook's
   * deadline, which interrupts it when passed). A load blocks this thread, as a blocking hook
   * does; a failed load throws here, before the hook is called. A start that fails — a load, the
   * hook, or its stage — closes the resources again before the engine hears of the failure (the
   * engine never stops a component whose start failed; a retry opens and loads them again).
   */
  static CompletionStage<?> start(LifecycleController<?> controller, LifecycleContext context) throws Exception {
    List<ManagedResource<?>> resources = controller.resources();
    if (resources.isEmpty()) {
      return controller.start(context);
    }
    CompletionStage<?> stage;
    try {
      for (int i = 0; i < resources.size(); i++) {
        ManagedResource<?> r = resources.get(i);
        if (r == null) {
          throw new IllegalStateException(controller.descriptor().name() + "'s managed resource "
              + field(controller, i) + " is null when the component starts");
        }
        if (r.lazy()) {
          r.open();
        } else {
          r.load();
        }
      }
      stage = controller.start(context);
    } catch (Exception | Error e) {
      close(resources, context);
      throw e;
    }
    return closeIfFailed(stage, resources, context, controller);
  }

  /** {@code stage}, or a stage that fails as it did once the resources are closed. */
  private static CompletionStage<?> closeIfFailed(CompletionStage<?> stage, List<ManagedResource<?>> resources,
      LifecycleContext context, LifecycleController<?> controller) {
    if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      if (((CompletableFuture<?>) stage).isCompletedExceptionally()) {
        close(resources, context);
      }
      return stage;
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    stage.whenComplete((value, error) -> {
      if (error == null) {
        done.complete(value);
        return;
      }
      // Not on the thread that failed the stage, which may be anyone's: closing waits for leases.
      Thread t = new Thread(() -> {
        close(resources, context);
        done.completeExceptionally(error);
      }, "ordo-resource-close-" + controller.descriptor().name());
      t.setDaemon(true);
      t.start();
    });
    return done;
  }

  /**
   * Called by the thread that runs the stop hook. The resources close after the hook's stage
   * completes, whether it failed or not: inline when it is already complete (a synchronous hook,
   * on this thread, which the deadline bounds), else on a thread of its own, so that the thread
   * completing an asynchronous hook's stage is never blocked by leases. The returned stage ends
   * as the hook's did, once the resources are closed.
   */
  static CompletionStage<?> stop(LifecycleController<?> controller, LifecycleContext context) throws Exception {
    List<ManagedResource<?>> resources = controller.resources();
    if (resources.isEmpty()) {
      return controller.stop(context);
    }
    CompletionStage<?> stage;
    try {
      stage = controller.stop(context);
    } catch (Exception | Error e) {
      close(resources, context);
      throw e;
    }
    if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      close(resources, context);
      return stage;
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    stage.whenComplete((value, error) -> {
      Thread t = new Thread(() -> {
        close(resources, context);
        if (error != null) {
          done.completeExceptionally(error);
        } else {
          done.complete(value);
        }
      }, "ordo-resource-close-" + controller.descriptor().name());
      t.setDaemon(true);
      t.start();
    });
    return done;
  }

  private static void close(List<ManagedResource<?>> resources, LifecycleContext context) {
    for (ManagedResource<?> r : resources) {
      if (r != null) {
        Duration left = context.remaining();
        r.close(left.isZero() ? Duration.ofNanos(1) : left);
      }
    }
  }

  private static String field(LifecycleController<?> controller, int i) {
    List<String> names = controller.descriptor().resources();
    return i < names.size() ? names.get(i) : "#" + i;
  }
}

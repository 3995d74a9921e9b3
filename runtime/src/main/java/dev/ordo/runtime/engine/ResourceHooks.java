package dev.ordo.runtime.engine;

import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.resources.ManagedResource;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
   * The controllers whose component holds each resource now: started (or starting) and not
   * stopped. A resource shared by two components (one hands it to the other, which keeps it in a
   * final field too) is closed only when the last of them stops or fails to start: an optional
   * component whose start fails, or a component restarted by self-healing, must not close a
   * resource that a running component still serves with. Who uses it: the engine's workers running
   * start and stop hooks, for any components at once; guarded by itself, held only for the map
   * update (never while loading or closing). Entries leave when their last holder does.
   */
  private static final Map<ManagedResource<?>, Set<LifecycleController<?>>> HOLDERS = new IdentityHashMap<>();

  private static void hold(ManagedResource<?> r, LifecycleController<?> controller) {
    synchronized (HOLDERS) {
      HOLDERS.computeIfAbsent(r, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(controller);
    }
  }

  /** Whether {@code controller} was the last holder of {@code r} (or never held it): then it closes it. */
  private static boolean letGo(ManagedResource<?> r, LifecycleController<?> controller) {
    synchronized (HOLDERS) {
      Set<LifecycleController<?>> holders = HOLDERS.get(r);
      if (holders == null) {
        return true;
      }
      holders.remove(controller);
      if (holders.isEmpty()) {
        HOLDERS.remove(r);
        return true;
      }
      return false;
    }
  }

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
        hold(r, controller);
        if (r.lazy()) {
          r.open();
        } else {
          r.load();
        }
      }
      stage = controller.start(context);
    } catch (Exception | Error e) {
      close(resources, context, controller);
      throw e;
    }
    return closeIfFailed(stage, resources, context, controller);
  }

  /** {@code stage}, or a stage that fails as it did once the resources are closed. */
  private static CompletionStage<?> closeIfFailed(CompletionStage<?> stage, List<ManagedResource<?>> resources,
      LifecycleContext context, LifecycleController<?> controller) {
    if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      if (((CompletableFuture<?>) stage).isCompletedExceptionally()) {
        close(resources, context, controller);
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
        close(resources, context, controller);
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
      close(resources, context, controller);
      throw e;
    }
    if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      close(resources, context, controller);
      return stage;
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    stage.whenComplete((value, error) -> {
      Thread t = new Thread(() -> {
        close(resources, context, controller);
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

  private static void close(List<ManagedResource<?>> resources, LifecycleContext context,
      LifecycleController<?> controller) {
    for (ManagedResource<?> r : resources) {
      if (r != null && letGo(r, controller)) {
        r.close(leaseWait(context.remaining()));
      }
    }
  }

  /**
   * How long a close waits for leases: what is left of the stop's time, less a twentieth of it
   * (50 ms at most), so that a forced close ends the stop before its deadline cuts it, and the
   * stop is reported as ended (with the force) rather than as over its timeout. At least 1 ns:
   * a zero would wait for nothing and force at once, which is what a stop out of time gets.
   */
  static Duration leaseWait(Duration left) {
    if (left.isZero() || left.isNegative()) {
      return Duration.ofNanos(1);
    }
    Duration margin = left.dividedBy(20);
    if (margin.compareTo(LEASE_MARGIN) > 0) {
      margin = LEASE_MARGIN;
    }
    Duration wait = left.minus(margin);
    return wait.isZero() ? Duration.ofNanos(1) : wait;
  }

  private static final Duration LEASE_MARGIN = Duration.ofMillis(50);

  private static String field(LifecycleController<?> controller, int i) {
    List<String> names = controller.descriptor().resources();
    return i < names.size() ? names.get(i) : "#" + i;
  }
}

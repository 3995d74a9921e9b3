package dev.ordo.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A component for the self-healing tests: its start fails as often as a test says (or does what a
 * hook says), its health check returns what a test sets, and it journals its starts and stops.
 * Components are told apart by their descriptor's key, so many share this one class.
 */
final class HealingPart extends LifecycleController<HealingPart.Id> {
  /** A component instance; its name tells it apart. */
  record Id(String name) {}

  /** A start hook body. */
  interface Hook {
    CompletionStage<?> run(LifecycleContext context) throws Exception;
  }

  final String name;
  private final List<String> journal;
  /** Starts that are still to fail, then they succeed. */
  final AtomicInteger failuresLeft = new AtomicInteger();
  /** When set, the start does this instead. */
  final AtomicReference<Hook> onStart = new AtomicReference<>();
  /** When set, the stop does this after journaling. */
  final AtomicReference<Hook> onStop = new AtomicReference<>();
  final AtomicReference<Health> health = new AtomicReference<>(Health.up());
  final AtomicInteger starts = new AtomicInteger();

  private HealingPart(ComponentDescriptor descriptor, String name, List<String> journal) {
    super(descriptor, new Id(name));
    this.name = name;
    this.journal = journal;
  }

  @Override
  public CompletionStage<?> start(LifecycleContext context) throws Exception {
    int n = starts.incrementAndGet();
    journal.add("start " + name);
    Hook hook = onStart.get();
    if (hook != null) {
      return hook.run(context);
    }
    if (failuresLeft.getAndUpdate(f -> Math.max(0, f - 1)) > 0) {
      throw new IllegalStateException(name + " is unavailable (start " + n + ")");
    }
    return COMPLETED;
  }

  @Override
  public CompletionStage<?> stop(LifecycleContext context) throws Exception {
    journal.add("stop " + name);
    Hook hook = onStop.get();
    return hook != null ? hook.run(context) : COMPLETED;
  }

  @Override
  public Health check(int index, LifecycleContext context) {
    return health.get();
  }

  /** Builds parts that depend on each other by name, sharing one journal. */
  static final class Parts {
    final List<String> journal = new CopyOnWriteArrayList<>();

    Spec part(String name) {
      return new Spec(name);
    }

    /** The position of {@code entry} in the journal, failing when it is missing. */
    int indexOf(String entry) {
      int i = journal.indexOf(entry);
      if (i < 0) {
        throw new AssertionError(entry + " missing from " + journal);
      }
      return i;
    }

    final class Spec {
      private final String name;
      private final ComponentDescriptor.Builder descriptor;
      private int failures;
      private Duration startTimeout;

      Spec(String name) {
        this.name = name;
        this.descriptor = ComponentDescriptor.builder(Id.class).key(name).onShutdown("stop", null);
      }

      Spec critical() {
        descriptor.critical();
        return this;
      }

      Spec dependsOn(String... others) {
        for (String o : others) {
          descriptor.dependsOn(o);
        }
        return this;
      }

      Spec dependsOnOptionally(String... others) {
        for (String o : others) {
          descriptor.dependsOnOptionally(o);
        }
        return this;
      }

      Spec retry(Duration initial, Duration max) {
        descriptor.retry(RetryPolicy.backoff(initial, max));
        return this;
      }

      Spec retry(RetryPolicy policy) {
        descriptor.retry(policy);
        return this;
      }

      Spec startupTimeout(Duration timeout) {
        this.startTimeout = timeout;
        return this;
      }

      /** A health check named "ping" that restarts the component when DOWN. */
      Spec restartingCheck() {
        descriptor.healthCheck("ping", "ping", null, null).restartWhenDown("ping");
        return this;
      }

      Spec failing(int starts) {
        this.failures = starts;
        return this;
      }

      HealingPart build() {
        descriptor.onStartup("start", startTimeout);
        HealingPart p = new HealingPart(descriptor.build(), name, journal);
        p.failuresLeft.set(failures);
        return p;
      }
    }
  }
}

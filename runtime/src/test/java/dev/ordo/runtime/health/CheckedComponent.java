package dev.ordo.runtime.health;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written controller whose health checks do what a test says; components are told apart
 * by their descriptor's key, so that many share this one class.
 */
final class CheckedComponent extends LifecycleController<CheckedComponent.Key> {
  /** A component instance. */
  record Key(String name) {}

  /** A health check body. */
  interface Check {
    Health run(LifecycleContext context) throws Exception;
  }

  /** A startup hook body. */
  interface Hook {
    void run() throws Exception;
  }

  private final List<Check> checks;
  private final List<AtomicInteger> calls;
  private final Hook onStart;

  private CheckedComponent(ComponentDescriptor descriptor, String name, List<Check> checks, Hook onStart) {
    super(descriptor, new Key(name));
    this.checks = checks;
    this.onStart = onStart;
    this.calls = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      calls.add(new AtomicInteger());
    }
  }

  static Builder component(String name) {
    return new Builder(name);
  }

  /** How often check {@code index} was called. */
  int calls(int index) {
    return calls.get(index).get();
  }

  @Override
  public CompletionStage<?> start(LifecycleContext context) throws Exception {
    onStart.run();
    return COMPLETED;
  }

  @Override
  public Health check(int index, LifecycleContext context) throws Exception {
    calls.get(index).incrementAndGet();
    return checks.get(index).run(context);
  }

  static final class Builder {
    private final String name;
    private final ComponentDescriptor.Builder descriptor;
    private final List<Check> checks = new ArrayList<>();
    private Hook onStart = () -> {};

    Builder(String name) {
      this.name = name;
      this.descriptor = ComponentDescriptor.builder(Key.class).key(name);
    }

    Builder critical() {
      descriptor.critical();
      return this;
    }

    Builder dependsOn(String other) {
      descriptor.dependsOn(other);
      return this;
    }

    Builder onStart(Hook hook) {
      descriptor.onStartup("start", null);
      this.onStart = hook;
      return this;
    }

    Builder check(String checkName, Check check) {
      return check(checkName, null, null, check);
    }

    Builder check(String checkName, Duration timeout, Duration interval, Check check) {
      descriptor.healthCheck(checkName, checkName, timeout, interval);
      checks.add(check);
      return this;
    }

    CheckedComponent build() {
      return new CheckedComponent(descriptor.build(), name, List.copyOf(checks), onStart);
    }
  }
}

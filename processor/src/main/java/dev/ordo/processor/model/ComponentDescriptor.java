package dev.ordo.processor.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the processor read from one component class: the processor's counterpart of the runtime's
 * {@code dev.ordo.runtime.ComponentDescriptor}, which the generated controller rebuilds from it.
 * Immutable; lists keep declaration order.
 *
 * @param name the component's class
 * @param typeParameters how many type parameters the class declares (the controller uses
 *     wildcards for them)
 * @param critical whether the class is {@code @Critical}
 * @param dependencies the {@code @DependsOn} declarations, in declaration order
 * @param startup the {@code @OnStartup} method, if any
 * @param shutdown the {@code @OnShutdown} method, if any
 * @param healthChecks the {@code @HealthCheck} methods, in declaration order (their index is the
 *     one {@code check(int, ...)} receives)
 * @param operations the operations of {@code @PublishesEvents}, in declaration order
 * @param retry the {@code @Retry} of the {@code @OnStartup} method, if any
 * @param resources the names of the component's instance fields of type
 *     {@code dev.ordo.runtime.resources.ManagedResource}, in declaration order
 */
public record ComponentDescriptor(
    ComponentName name,
    int typeParameters,
    boolean critical,
    List<Dependency> dependencies,
    Optional<Hook> startup,
    Optional<Hook> shutdown,
    List<HealthCheck> healthChecks,
    List<String> operations,
    Optional<Retry> retry,
    List<String> resources) {

  /** Copies the lists. */
  public ComponentDescriptor {
    Objects.requireNonNull(name, "name");
    dependencies = List.copyOf(dependencies);
    Objects.requireNonNull(startup, "startup");
    Objects.requireNonNull(shutdown, "shutdown");
    healthChecks = List.copyOf(healthChecks);
    operations = List.copyOf(operations);
    Objects.requireNonNull(retry, "retry");
    resources = List.copyOf(resources);
  }

  /** A component without managed resources. */
  public ComponentDescriptor(ComponentName name, int typeParameters, boolean critical, List<Dependency> dependencies,
      Optional<Hook> startup, Optional<Hook> shutdown, List<HealthCheck> healthChecks, List<String> operations,
      Optional<Retry> retry) {
    this(name, typeParameters, critical, dependencies, startup, shutdown, healthChecks, operations, retry, List.of());
  }

  /** A component that does not retry its start. */
  public ComponentDescriptor(ComponentName name, int typeParameters, boolean critical, List<Dependency> dependencies,
      Optional<Hook> startup, Optional<Hook> shutdown, List<HealthCheck> healthChecks, List<String> operations) {
    this(name, typeParameters, critical, dependencies, startup, shutdown, healthChecks, operations, Optional.empty());
  }

  /**
   * The {@code @Retry} of the {@code @OnStartup} method: how a failed start is retried.
   *
   * @param initial the delay before the first attempt
   * @param max the longest delay between two attempts
   * @param attempts the most attempts in a row, 0 for no limit
   */
  public record Retry(Duration initial, Duration max, int attempts) {
    /** Checks for nulls. */
    public Retry {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
    }
  }

  /** The binary names of the hard dependencies, in declaration order. */
  public List<String> hardDependencies() {
    return dependencies.stream().filter(d -> !d.optional()).map(d -> d.name().binaryName()).toList();
  }

  /** The binary names of the soft ({@code optional = true}) dependencies, in declaration order. */
  public List<String> softDependencies() {
    return dependencies.stream().filter(Dependency::optional).map(d -> d.name().binaryName()).toList();
  }

  /**
   * One {@code @DependsOn}.
   *
   * @param name the class depended on
   * @param optional whether the edge is soft
   * @param publicType whether the class and every class enclosing it are public, so that
   *     generated code in another package may name it
   */
  public record Dependency(ComponentName name, boolean optional, boolean publicType) {}

  /** The shape of a hook method's parameters. */
  public enum Parameters {
    /** {@code m()}. */
    NONE,
    /** {@code m(LifecycleContext context)}. */
    CONTEXT
  }

  /**
   * An {@code @OnStartup} or {@code @OnShutdown} method.
   *
   * @param method the method's name
   * @param parameters what it takes
   * @param async whether it returns a {@code CompletionStage}
   * @param timeout its own timeout; empty for the application's default
   */
  public record Hook(String method, Parameters parameters, boolean async, Optional<Duration> timeout) {
    /** Checks for nulls. */
    public Hook {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(parameters, "parameters");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /** What a health-check method returns. */
  public enum HealthResult {
    /** {@code boolean}: false is DOWN. */
    BOOLEAN,
    /** {@code dev.ordo.runtime.Health}, returned as is. */
    HEALTH,
    /** {@code void}: returning is UP, throwing is DOWN. */
    VOID
  }

  /**
   * A {@code @HealthCheck} method.
   *
   * @param name the name reports show
   * @param method the method's name
   * @param parameters what it takes
   * @param result what it returns
   * @param timeout its own timeout; empty for the application's default
   * @param interval how often it runs; empty for the application's default
   * @param restart whether the component is restarted when the check turns DOWN
   */
  public record HealthCheck(
      String name,
      String method,
      Parameters parameters,
      HealthResult result,
      Optional<Duration> timeout,
      Optional<Duration> interval,
      boolean restart) {
    /** Checks for nulls. */
    public HealthCheck {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(parameters, "parameters");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(interval, "interval");
    }

    /** A check that does not restart its component. */
    public HealthCheck(String name, String method, Parameters parameters, HealthResult result,
        Optional<Duration> timeout, Optional<Duration> interval) {
      this(name, method, parameters, result, timeout, interval, false);
    }
  }
}

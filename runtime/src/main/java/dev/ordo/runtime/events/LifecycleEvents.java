package dev.ordo.runtime.events;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentTransition;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.health.HealthStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the application's transitions and health changes into events. Registered by {@code Ordo}
 * as its first listener. The application's final event ({@code stopped} or {@code failed}) is
 * published by {@link EventPublisher#finish}, before the final flush, rather than here: the
 * listeners hear of the final state after the sinks were closed.
 */
final class LifecycleEvents implements LifecycleListener {
  private final EventPublisher publisher;
  private final String application;
  private volatile long startingNanos;

  LifecycleEvents(EventPublisher publisher, String application) {
    this.publisher = publisher;
    this.application = application;
  }

  /** Milliseconds, to the microsecond. */
  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  static String verb(ApplicationState state) {
    switch (state) {
      case STARTING:
        return "starting";
      case RUNNING:
        return "started";
      case DRAINING:
        return "draining";
      case STOPPING:
        return "stopping";
      case STOPPED:
        return "stopped";
      case FAILED:
        return "failed";
      default:
        return null; // NEW: never entered
    }
  }

  static String verb(ComponentState state) {
    switch (state) {
      case STARTING:
        return "starting";
      case RUNNING:
        return "started";
      case FAILED:
        return "failed";
      case SKIPPED:
        return "skipped";
      case STOPPING:
        return "stopping";
      case STOPPED:
        return "stopped";
      default:
        return null; // PENDING: never entered
    }
  }

  @Override
  public void applicationStateChanged(ApplicationState from, ApplicationState to) {
    if (to == ApplicationState.STARTING) {
      startingNanos = System.nanoTime();
    }
    if (to.isTerminal() || !publisher.enabled()) {
      return;
    }
    Double took = to == ApplicationState.RUNNING && startingNanos != 0
        ? millis(System.nanoTime() - startingNanos) : null;
    publishApplication(from, to, took, null);
  }

  void applicationEnded(ApplicationState from, ApplicationState to, ShutdownReason reason, Duration took) {
    if (publisher.enabled()) {
      publishApplication(from, to, millis(took.toNanos()), reason);
    }
  }

  private void publishApplication(ApplicationState from, ApplicationState to, Double durationMs, ShutdownReason reason) {
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("application", application);
    data.put("from", from.name());
    data.put("to", to.name());
    data.put("durationMs", durationMs);
    data.put("reason", reason == null ? null : reason.name());
    publisher.offer(publisher.event(publisher.type("application." + verb(to)), null, publisher.runId(),
        Collections.unmodifiableMap(data)));
  }

  @Override
  public void componentStateChanged(ComponentTransition t) {
    String verb = verb(t.to());
    if (verb == null || !publisher.enabled()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("component", t.name());
    data.put("critical", t.component().critical());
    data.put("from", t.from().name());
    data.put("to", t.to().name());
    boolean hookEnded = t.to() == ComponentState.RUNNING || t.to() == ComponentState.FAILED
        || t.to() == ComponentState.STOPPED;
    data.put("durationMs", hookEnded ? millis(t.duration().toNanos()) : null);
    Throwable cause = t.cause();
    data.put("errorType", cause == null ? null : cause.getClass().getName());
    data.put("errorMessage", cause == null ? null : cause.getMessage());
    publisher.offer(publisher.event(publisher.type("component." + verb), t.name(), publisher.runId(),
        Collections.unmodifiableMap(data)));
  }

  @Override
  public void healthCheckChanged(Health.Status from, CheckResult to) {
    if (!publisher.enabled()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("component", to.component());
    data.put("check", to.name());
    data.put("critical", to.critical());
    data.put("from", from == null ? null : from.name());
    data.put("to", to.status().name());
    Throwable error = to.error();
    data.put("errorMessage", error != null ? String.valueOf(error.getMessage())
        : to.last() != null && to.last().status() != Health.Status.UP ? to.last().toString() : null);
    publisher.offer(publisher.event(publisher.type("health.check.changed"), to.component(), publisher.runId(),
        Collections.unmodifiableMap(data)));
  }

  @Override
  public void healthChanged(HealthStatus from, HealthStatus to) {
    if (!publisher.enabled()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(4);
    data.put("application", application);
    data.put("from", from == null ? null : from.name());
    data.put("to", to.name());
    publisher.offer(publisher.event(publisher.type("health.changed"), null, publisher.runId(),
        Collections.unmodifiableMap(data)));
  }

  @Override
  public String toString() {
    return "events of " + application;
  }
}

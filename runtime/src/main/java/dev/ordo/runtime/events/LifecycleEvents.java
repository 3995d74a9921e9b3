package dev.ordo.runtime.events;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentRecovery;
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
 * Turns the application's transitions and health changes into events. The engine registers it as
 * a listener only when the publisher has a sink. It does not rely on the thread it is called on:
 * it only builds events and offers them, which never blocks (the events' {@code time} is when it
 * hears of the change). The application's final event ({@code stopped} or {@code failed}) is
 * published by {@link EventPublisher#finish}, which waits for the sinks, rather than here: the
 * listeners hear of the final state after the sinks were closed.
 *
 * <p>Transitions of the application and of components are offered past the queue's capacity
 * (they are few, and the ones a reader needs most); health changes, which may repeat for as long
 * as the application runs, are dropped like any event when the queue is full.
 */
final class LifecycleEvents implements LifecycleListener {
  private final EventPublisher publisher;
  private final String application;
  private volatile long startingNanos;
  /** Written by whichever thread notifies this listener; only ever compared with 0. */
  private volatile long callsWithoutSink;

  LifecycleEvents(EventPublisher publisher, String application) {
    this.publisher = publisher;
    this.application = application;
  }

  /**
   * Whether there is no sink: then the engine should not have registered this listener, and the
   * call is counted ({@link #callsWithoutSink()}) and otherwise ignored.
   */
  private boolean withoutSink() {
    if (publisher.enabled()) {
      return false;
    }
    callsWithoutSink++;
    return true;
  }

  /** How many notifications reached this listener although there is no sink: work that should not happen. */
  long callsWithoutSink() {
    return callsWithoutSink;
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
    if (withoutSink() || to.isTerminal()) {
      return;
    }
    if (to == ApplicationState.STARTING) {
      startingNanos = System.nanoTime();
    }
    Double took = to == ApplicationState.RUNNING && startingNanos != 0
        ? millis(System.nanoTime() - startingNanos) : null;
    publisher.offer(applicationEvent(from, to, took, null), true);
  }

  /** The application's final event, for {@link EventPublisher#finish} to publish last. */
  Event applicationEnded(ApplicationState from, ApplicationState to, ShutdownReason reason, Duration took) {
    return applicationEvent(from, to, millis(took.toNanos()), reason);
  }

  private Event applicationEvent(ApplicationState from, ApplicationState to, Double durationMs, ShutdownReason reason) {
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("application", application);
    data.put("from", from.name());
    data.put("to", to.name());
    data.put("durationMs", durationMs);
    data.put("reason", reason == null ? null : reason.name());
    return publisher.event(publisher.type("application." + verb(to)), null, publisher.runId(),
        Collections.unmodifiableMap(data));
  }

  @Override
  public void componentStateChanged(ComponentTransition t) {
    if (withoutSink()) {
      return;
    }
    String verb = verb(t.to());
    if (verb == null) {
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
        Collections.unmodifiableMap(data)), true);
  }

  /**
   * {@code component.recovered}: a component is RUNNING again after a failure; offered past the
   * queue's capacity, like the transitions it follows.
   */
  @Override
  public void componentRecovered(ComponentRecovery r) {
    if (withoutSink()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("component", r.name());
    data.put("critical", r.component().critical());
    data.put("reason", r.reason().name().toLowerCase(java.util.Locale.ROOT));
    data.put("attempts", r.attempts());
    data.put("downtimeMs", millis(r.downtime().toNanos()));
    Throwable cause = r.cause();
    data.put("errorType", cause == null ? null : cause.getClass().getName());
    data.put("errorMessage", cause == null ? null : cause.getMessage());
    publisher.offer(publisher.event(publisher.type("component.recovered"), r.name(), publisher.runId(),
        Collections.unmodifiableMap(data)), true);
  }

  @Override
  public void healthCheckChanged(Health.Status from, CheckResult to) {
    if (withoutSink()) {
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
        Collections.unmodifiableMap(data)), false);
  }

  @Override
  public void healthChanged(HealthStatus from, HealthStatus to) {
    if (withoutSink()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(4);
    data.put("application", application);
    data.put("from", from == null ? null : from.name());
    data.put("to", to.name());
    publisher.offer(publisher.event(publisher.type("health.changed"), null, publisher.runId(),
        Collections.unmodifiableMap(data)), false);
  }

  @Override
  public String toString() {
    return "events of " + application;
  }
}

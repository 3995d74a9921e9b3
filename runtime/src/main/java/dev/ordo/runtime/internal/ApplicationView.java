package dev.ordo.runtime.internal;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentStatus;
import java.time.Duration;
import java.util.List;

/**
 * What the runtime's own parts (the health monitor) read of the application they serve, without
 * a reference to the {@code Ordo} facade. Implemented by the engine; not for users.
 */
public interface ApplicationView {
  /** The application's state; needs no lock. */
  ApplicationState state();

  /** Every component's status, in startup order. */
  List<ComponentStatus> components();

  /** Units of work in flight in the request tracker. */
  long inFlight();

  /** Time since the application was started ({@link Duration#ZERO} before). */
  Duration uptime();

  /**
   * A health check of {@code component} ran from {@code beganNanos} to {@code endedNanos}
   * ({@link System#nanoTime()}); the application's timeline keeps each component's first. Called
   * on the health check threads, outside every lock; must not block.
   */
  default void healthCheckRan(dev.ordo.runtime.ComponentDescriptor component, long beganNanos, long endedNanos,
      boolean up, boolean timedOut) {}
}

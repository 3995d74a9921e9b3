package dev.ordo.runtime;

/**
 * Receives every state change of an application and of its components.
 *
 * <p>Listeners are called after the change, outside the runtime's locks, on the thread that made
 * the change: transitions of independent components may arrive concurrently from several
 * threads, while the transitions of one component arrive in order. A listener that throws is
 * logged and does not disturb the lifecycle.
 *
 * @since 0.1
 */
public interface LifecycleListener {
  /** The application moved from {@code from} to {@code to}. */
  default void applicationStateChanged(ApplicationState from, ApplicationState to) {}

  /** A component changed state. */
  default void componentStateChanged(ComponentTransition transition) {}

  /**
   * The shutdown began to drain: new work is refused from now on; {@code inFlight} units of work
   * are still running.
   */
  default void drainStarted(long inFlight) {}

  /** The drain ended after {@code took}, with {@code inFlight} units of work still running (0: all done). */
  default void drainEnded(long inFlight, java.time.Duration took) {}

  /** A shutdown finished; {@code report} says what happened. */
  default void shutdownCompleted(ShutdownReport report) {}

  /**
   * A health check's damped status changed, or the check reported for the first time after
   * startup ({@code from} is then {@code null}). The changes of one check arrive in order.
   */
  default void healthCheckChanged(Health.Status from, dev.ordo.runtime.health.CheckResult to) {}

  /** The application's aggregate health changed (see {@link dev.ordo.runtime.health.HealthStatus}). */
  default void healthChanged(dev.ordo.runtime.health.HealthStatus from, dev.ordo.runtime.health.HealthStatus to) {}
}

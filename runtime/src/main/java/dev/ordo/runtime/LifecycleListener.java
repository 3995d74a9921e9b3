package dev.ordo.runtime;

/**
 * Receives every state change of an application and of its components.
 *
 * <p>Each listener has its own serial queue: it hears every notification after the change, in
 * the order the changes were made, one at a time, on a thread of the application's that runs
 * listeners only — never on a thread that runs hooks, never on the thread that called
 * {@code start()} or {@code stop()}, and never under a lock of the runtime. So a listener that
 * blocks delays only itself, and one that throws (an {@link Error} included) is logged and hears
 * the next notification. The application's final state ({@code STOPPED} or {@code FAILED}) is
 * the last notification, after {@link #shutdownCompleted}; {@code stop()} waits for every
 * listener to hear it until the shutdown budget ends. {@code start()} does not wait for listeners:
 * they may hear of the startup just after it returned.
 *
 * @since 0.1
 */
public interface LifecycleListener {
  /** The application moved from {@code from} to {@code to}. */
  default void applicationStateChanged(ApplicationState from, ApplicationState to) {}

  /** A component changed state. */
  default void componentStateChanged(ComponentTransition transition) {}

  /**
   * A component is RUNNING again after a failure: a retry of its start succeeded, it started once
   * the dependencies it had been skipped for recovered, or a restart after a failed health check
   * succeeded. Heard after the transition to RUNNING.
   *
   * @since 0.1
   */
  default void componentRecovered(ComponentRecovery recovery) {}

  /**
   * The shutdown began to drain: new work is refused from now on; {@code inFlight} units of work
   * are still in flight (running, or accepted and waiting to run).
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

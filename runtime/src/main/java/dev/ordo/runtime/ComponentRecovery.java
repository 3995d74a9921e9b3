package dev.ordo.runtime;

import java.time.Duration;

/**
 * A component is RUNNING again: its start was retried after a failure, it started once the
 * dependencies it had been skipped for recovered, or it was restarted after a failed health check.
 * {@link LifecycleListener#componentRecovered} hears it, and the event {@code component.recovered}
 * is published.
 *
 * @param component the component's descriptor
 * @param reason what healed it
 * @param attempts the start attempts it took, the successful one included: 2 when the first retry
 *     after a failed start succeeded, 1 when a component that had been skipped started at once
 * @param downtime from when it stopped being available (its failed start, its skip, or the beginning
 *     of its restart) until it was RUNNING again
 * @param cause what made it unavailable: the failure of its start, why it was skipped, or for a
 *     restart a {@link HealthCheckFailedException} naming the check; {@code null} if unknown
 * @since 0.1
 */
public record ComponentRecovery(ComponentDescriptor component, Reason reason, int attempts, Duration downtime,
    Throwable cause) {

  /** What healed a component. */
  public enum Reason {
    /** Its start had failed; a retry succeeded ({@code @OnStartup(retry = ...)}). */
    RETRY,
    /** It had been skipped because a hard dependency was not running; that dependency recovered. */
    DEPENDENCY,
    /** A failed health check restarted it ({@code @HealthCheck(restart = true)}); its start succeeded. */
    RESTART
  }

  /** The component's name. */
  public String name() {
    return component.name();
  }
}

package dev.ordo.runtime;

import java.time.Duration;

/**
 * A snapshot of one component of a running (or stopped) application.
 *
 * @param component the descriptor
 * @param state the state when the snapshot was taken
 * @param failure why it failed or was skipped at startup, else {@code null}
 * @param startupDuration how long its startup hook took, or {@code null} if it did not run to an end
 * @param shutdownDuration how long its shutdown hook took, or {@code null} if it did not run to an end
 * @param shutdownFailure why its shutdown hook failed or was abandoned, else {@code null}
 * @param retry where it stands in healing itself, when it has a {@link RetryPolicy}; else {@code null}
 * @since 0.1
 */
public record ComponentStatus(
    ComponentDescriptor component,
    ComponentState state,
    Throwable failure,
    Duration startupDuration,
    Duration shutdownDuration,
    Throwable shutdownFailure,
    RetryStatus retry) {

  /** A status of a component without a retry policy. */
  public ComponentStatus(ComponentDescriptor component, ComponentState state, Throwable failure,
      Duration startupDuration, Duration shutdownDuration, Throwable shutdownFailure) {
    this(component, state, failure, startupDuration, shutdownDuration, shutdownFailure, null);
  }

  /** The component's name. */
  public String name() {
    return component.name();
  }

  /**
   * Whether the component is optional and not running as it should: it FAILED or was SKIPPED, or
   * is being retried or restarted.
   */
  public boolean degraded() {
    return !component.critical()
        && (state == ComponentState.FAILED || state == ComponentState.SKIPPED
            || (state != ComponentState.RUNNING && retry != null && retry.recovering()));
  }
}

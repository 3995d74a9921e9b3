package dev.ordo.runtime;

import java.time.Instant;

/**
 * Where a component with a {@link RetryPolicy} stands in healing itself, as part of its
 * {@link ComponentStatus}.
 *
 * @param policy the policy in force (declared, or set by the builder or the configuration)
 * @param attempts the attempts made in the current row (retries of a failed start and restarts),
 *     0 when none since it last recovered
 * @param nextAttempt when the next attempt is due, or {@code null} when none is scheduled
 * @param inProgress whether an attempt (a start, or a restart's stop and start) runs now
 * @param exhausted whether Ordo gave up: {@link RetryPolicy#attempts()} attempts in a row failed
 * @param recoveries how often the component has recovered so far (see {@link ComponentRecovery})
 * @since 0.1
 */
public record RetryStatus(RetryPolicy policy, int attempts, Instant nextAttempt, boolean inProgress,
    boolean exhausted, int recoveries) {

  /** Whether Ordo is working on the component: an attempt is scheduled or in progress. */
  public boolean recovering() {
    return nextAttempt != null || inProgress;
  }
}

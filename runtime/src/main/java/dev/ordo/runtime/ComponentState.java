package dev.ordo.runtime;

/**
 * The states of one component.
 *
 * <pre>
 *   PENDING ──▶ STARTING ──▶ RUNNING ──▶ STOPPING ──▶ STOPPED
 *      │            └──threw / timed out──▶ FAILED
 *      └──a hard dependency is not running, or startup was abandoned──▶ SKIPPED
 * </pre>
 *
 * <p>A {@code STOPPING} component whose stop hook throws or times out still ends {@code STOPPED};
 * the failure is in the {@link ComponentStatus} and the {@link ShutdownReport}. So does a
 * {@code RUNNING} component that the shutdown never reached, because the budget ran out while its
 * dependents were still stopping: it goes from {@code RUNNING} straight to {@code STOPPED}, its stop
 * hook never called, and its {@link ComponentStatus#shutdownFailure()} says so
 * ({@link HookTimeoutException#notCalled}).
 *
 * <p>Self-healing components ({@link RetryPolicy}) take more edges while the application runs:
 *
 * <pre>
 *   FAILED ──retry──▶ STARTING          a retry of a failed start
 *   SKIPPED ──▶ STARTING                its hard dependencies recovered
 *   FAILED ──▶ RUNNING                  a start that passed its timeout completed after all
 *   RUNNING ──▶ STOPPING ──▶ STOPPED ──▶ STARTING    a restart after a failed health check
 * </pre>
 *
 * @since 0.1
 */
public enum ComponentState {
  /** Waiting for its dependencies. */
  PENDING,
  /** Its startup hook runs. */
  STARTING,
  /** Started. */
  RUNNING,
  /** Its shutdown hook runs. */
  STOPPING,
  /** Stopped. */
  STOPPED,
  /** Its startup hook threw or passed its timeout. */
  FAILED,
  /** Never started: a hard dependency was not running, or the startup was abandoned. */
  SKIPPED
}

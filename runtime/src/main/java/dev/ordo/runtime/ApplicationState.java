package dev.ordo.runtime;

/**
 * The states of an {@link Ordo} application.
 *
 * <pre>
 *   NEW ──start()──▶ STARTING ──▶ RUNNING ──stop()/signal──▶ DRAINING ──▶ STOPPING ──▶ STOPPED
 *                       │                                                     ▲
 *                       ├──a critical component failed──▶ (rollback) ──▶ FAILED
 *                       └──stop() during startup────────────────────────────┘
 * </pre>
 *
 * <p>{@code NEW -> STOPPED} is also possible: stopping an application that never started.
 *
 * @since 0.1
 */
public enum ApplicationState {
  /** Built, not started. */
  NEW,
  /** Components are starting. */
  STARTING,
  /** Every component that could start is running; some optional ones may have failed. */
  RUNNING,
  /** Shutting down: new work is refused, work in flight is finishing. */
  DRAINING,
  /** Components are stopping in reverse dependency order. */
  STOPPING,
  /** Every component that was started has been stopped (or abandoned at the budget's end). */
  STOPPED,
  /** A critical component could not start; everything that started was stopped again. */
  FAILED;

  /** Whether this state is final. */
  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }
}

package dev.ordo.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What one shutdown did: why it happened, how long it took, what each component did, and what
 * was abandoned when the budget ran out.
 *
 * @param reason why the application shut down
 * @param duration how long the shutdown took
 * @param budget the shutdown budget in force
 * @param budgetExceeded whether some component was abandoned because the budget ran out
 * @param components every component's state after the shutdown
 * @param abandoned the names of the components whose stop did not finish within the budget or
 *     their own timeout
 * @param failed the names of the components whose stop hook threw
 * @param inFlightAtDrainStart units of work in flight when new work began to be refused
 * @param inFlightAtDrainEnd units of work still in flight when the drain ended (0: all finished)
 * @since 0.1
 */
public record ShutdownReport(
    ShutdownReason reason,
    Duration duration,
    Duration budget,
    boolean budgetExceeded,
    List<ComponentStatus> components,
    List<String> abandoned,
    List<String> failed,
    long inFlightAtDrainStart,
    long inFlightAtDrainEnd) {

  /** Exit status after a clean shutdown. */
  public static final int EXIT_OK = 0;
  /** Exit status after a critical component failed to start (the start was rolled back). */
  public static final int EXIT_STARTUP_FAILED = 1;
  /** Exit status when the budget ran out: some component's stop or some work was abandoned. */
  public static final int EXIT_BUDGET_EXCEEDED = 2;
  /** Exit status when the stop hook of a critical component threw. */
  public static final int EXIT_CRITICAL_STOP_FAILED = 3;
  /** Exit status after a shutdown caused by an unrecoverable error of the runtime itself. */
  public static final int EXIT_ERROR = 4;

  /**
   * The process exit status this shutdown calls for, for applications that let Ordo own the
   * process: {@value #EXIT_OK} clean (an optional component's failed stop is logged, not fatal),
   * {@value #EXIT_STARTUP_FAILED} the start failed, {@value #EXIT_BUDGET_EXCEEDED} something was
   * abandoned at a timeout or the budget's end, {@value #EXIT_CRITICAL_STOP_FAILED} a critical
   * component's stop hook threw, {@value #EXIT_ERROR} the runtime itself failed (reason
   * {@link ShutdownReason#ERROR}).
   */
  public int exitCode() {
    if (reason == ShutdownReason.STARTUP_FAILURE) {
      return EXIT_STARTUP_FAILED;
    }
    if (reason == ShutdownReason.ERROR) {
      return EXIT_ERROR;
    }
    if (budgetExceeded || !abandoned.isEmpty() || inFlightAtDrainEnd > 0) {
      return EXIT_BUDGET_EXCEEDED;
    }
    for (ComponentStatus c : components) {
      if (c.component().critical() && failed.contains(c.name())) {
        return EXIT_CRITICAL_STOP_FAILED;
      }
    }
    return EXIT_OK;
  }

  /** Whether every stop hook finished in time without throwing. */
  public boolean clean() {
    return abandoned.isEmpty() && failed.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Shutdown (")
        .append(reason)
        .append(") took ")
        .append(Durations.format(duration))
        .append(" of a ")
        .append(Durations.format(budget))
        .append(" budget");
    if (!abandoned.isEmpty()) {
      s.append("; abandoned: ").append(String.join(", ", abandoned));
    }
    if (!failed.isEmpty()) {
      s.append("; failed: ").append(String.join(", ", failed));
    }
    if (inFlightAtDrainStart > 0 || inFlightAtDrainEnd > 0) {
      s.append("; in flight: ").append(inFlightAtDrainStart).append(" at drain start, ")
          .append(inFlightAtDrainEnd).append(" at drain end");
    }
    return s.toString();
  }
}

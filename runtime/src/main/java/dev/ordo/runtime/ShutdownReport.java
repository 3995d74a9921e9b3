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
 * @since 0.1
 */
public record ShutdownReport(
    ShutdownReason reason,
    Duration duration,
    Duration budget,
    boolean budgetExceeded,
    List<ComponentStatus> components,
    List<String> abandoned,
    List<String> failed) {

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
    return s.toString();
  }
}

package dev.ordo.runtime.health;

import dev.ordo.runtime.Health;
import java.time.Duration;
import java.time.Instant;

/**
 * The cached state of one health check: its damped status and its latest result.
 *
 * <p>{@link #status()} is damped: an UP check turns DOWN after {@code ordo.health.failure-threshold}
 * consecutive DOWN results, and back UP after {@code ordo.health.success-threshold} consecutive UP
 * ones. The first result after startup counts at once. Until then the check is
 * {@linkplain #pending() pending} and its status is DOWN.
 *
 * @param component the component's name
 * @param name the check's name
 * @param critical whether the component is critical (a DOWN check makes the application DOWN)
 *     rather than optional (DEGRADED)
 * @param status the damped status
 * @param last the latest result, {@code null} while pending; a check that timed out or threw has
 *     a DOWN result whose {@code reason} detail says so
 * @param error what the latest run threw, else {@code null}
 * @param checkedAt when the latest result was recorded, {@code null} while pending
 * @param took how long the latest run took ({@link Duration#ZERO} while pending)
 * @param consecutiveFailures DOWN results in a row, up to the latest
 * @param consecutiveSuccesses UP results in a row, up to the latest
 * @since 0.1
 */
public record CheckResult(
    String component,
    String name,
    boolean critical,
    Health.Status status,
    Health last,
    Throwable error,
    Instant checkedAt,
    Duration took,
    int consecutiveFailures,
    int consecutiveSuccesses) {

  /** Whether the check has not reported yet. */
  public boolean pending() {
    return checkedAt == null;
  }

  /** Whether the damped status is UP. */
  public boolean isUp() {
    return status == Health.Status.UP;
  }

  /** {@code component.name}, the name probes show. */
  public String id() {
    return component + "." + name;
  }

  @Override
  public String toString() {
    return id() + " " + (pending() ? "PENDING" : status + (last != null && last.status() != status
        ? " (latest " + last + ")" : last != null && !last.details().isEmpty() ? " " + last.details() : ""));
  }
}

package dev.ordo.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one health check: a status and a few details.
 *
 * <p>A {@link dev.ordo.HealthCheck @HealthCheck} method may return this type to attach details
 * (string, number or boolean values) that health reports and probes show:
 *
 * <pre>{@code
 * @HealthCheck
 * Health pool() {
 *   return Health.up().withDetail("active", pool.active()).withDetail("idle", pool.idle());
 * }
 * }</pre>
 *
 * <p>Instances are immutable; {@link #withDetail} returns a new one.
 *
 * @since 0.1
 */
public final class Health {
  /** Whether a check (or an aggregate of checks) passes. */
  public enum Status {
    /** The check passes. */
    UP,
    /** The check fails. */
    DOWN
  }

  private static final Health UP = new Health(Status.UP, Map.of());
  private static final Health DOWN = new Health(Status.DOWN, Map.of());

  private final Status status;
  private final Map<String, Object> details;

  private Health(Status status, Map<String, Object> details) {
    this.status = status;
    this.details = details;
  }

  /** A passing result without details. */
  public static Health up() {
    return UP;
  }

  /** A failing result without details. */
  public static Health down() {
    return DOWN;
  }

  /** A failing result whose {@code reason} detail says why. */
  public static Health down(String reason) {
    return DOWN.withDetail("reason", reason);
  }

  /** {@link #up()} when {@code healthy}, else {@link #down()}. */
  public static Health of(boolean healthy) {
    return healthy ? UP : DOWN;
  }

  /**
   * Returns a copy with one more detail. Values must be a {@link String}, a {@link Number} or a
   * {@link Boolean}, the types the MicroProfile Health format allows.
   *
   * @throws IllegalArgumentException if the value is of another type
   */
  public Health withDetail(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new IllegalArgumentException(
          "Health detail '" + key + "' must be a String, Number or Boolean, was "
              + value.getClass().getName());
    }
    Map<String, Object> copy = new LinkedHashMap<>(details);
    copy.put(key, value);
    return new Health(status, Collections.unmodifiableMap(copy));
  }

  /** The status. */
  public Status status() {
    return status;
  }

  /** Whether the status is {@link Status#UP}. */
  public boolean isUp() {
    return status == Status.UP;
  }

  /** The details, in the order they were added. */
  public Map<String, Object> details() {
    return details;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Health
        && ((Health) o).status == status
        && ((Health) o).details.equals(details);
  }

  @Override
  public int hashCode() {
    return status.hashCode() * 31 + details.hashCode();
  }

  @Override
  public String toString() {
    return details.isEmpty() ? status.name() : status + " " + details;
  }
}

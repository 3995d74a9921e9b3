package dev.ordo.runtime.health;

/**
 * The application's health, aggregated over its components by their criticality.
 *
 * @since 0.1
 */
public enum HealthStatus {
  /** Every component runs and every check passes. */
  UP,
  /**
   * The application serves, without some optional parts: an optional component failed or was
   * skipped at startup, or a check of an optional component is DOWN. Still ready.
   */
  DEGRADED,
  /** A check of a critical component is DOWN (or a critical component is not running): not ready. */
  DOWN
}

package dev.ordo.runtime;

/**
 * A health check of a component turned DOWN, and Ordo restarted the component
 * ({@code @HealthCheck(restart = true)}): the cause of the restart, in its
 * {@link ComponentRecovery} and events. The message names the check and its last result, for
 * example {@code com.acme.Cache.ping is DOWN: connection reset}.
 *
 * @since 0.1
 */
public final class HealthCheckFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The check {@code check} of {@code component} turned DOWN; {@code result} says why, if known. */
  public HealthCheckFailedException(String component, String check, String result) {
    super(component + "." + check + " is DOWN" + (result == null || result.isEmpty() ? "" : ": " + result));
  }
}

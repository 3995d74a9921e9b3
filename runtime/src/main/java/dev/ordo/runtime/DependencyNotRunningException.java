package dev.ordo.runtime;

/**
 * Why a component was {@link ComponentState#SKIPPED}: a hard dependency failed or was skipped, or
 * the startup was abandoned before the component's turn.
 *
 * @since 0.1
 */
public final class DependencyNotRunningException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its message. */
  public DependencyNotRunningException(String message) {
    super(message, null, false, false);
  }
}

package dev.ordo.runtime;

/**
 * New work was refused because the application is draining for shutdown (or stopped). An HTTP
 * layer answers it with 503 and {@code Connection: close}.
 *
 * @since 0.1
 */
public final class RequestRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public RequestRejectedException() {
    super("The application is shutting down and accepts no new work", null, false, false);
  }
}

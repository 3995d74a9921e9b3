package dev.ordo.runtime;

import java.util.concurrent.RejectedExecutionException;

/**
 * New work was refused because the application is draining for shutdown (or stopped). An HTTP
 * layer answers it with 503 and {@code Connection: close}.
 *
 * <p>It is a {@link RejectedExecutionException}: the {@linkplain RequestTracker#executor executor}
 * of a tracker refuses a task with it, as the {@link java.util.concurrent.Executor} contract asks,
 * and code that handles either exception handles both.
 *
 * @since 0.1
 */
public final class RequestRejectedException extends RejectedExecutionException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public RequestRejectedException() {
    super("The application is shutting down and accepts no new work");
  }

  /**
   * No stack trace: a draining application may refuse many requests a second, and where one was
   * refused says nothing that the message does not.
   */
  @Override
  public Throwable fillInStackTrace() {
    return this;
  }
}

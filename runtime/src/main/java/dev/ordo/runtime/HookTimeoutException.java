package dev.ordo.runtime;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A lifecycle hook or health check did not finish within its timeout. Its message names the
 * component, the method and the timeout, for example
 * {@code com.acme.OrderStore.migrate() did not finish within 10s}.
 *
 * @since 0.1
 */
public final class HookTimeoutException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /** Creates the exception for {@code component}'s {@code method}. */
  public HookTimeoutException(String component, String method, Duration timeout) {
    super(component + "." + (method == null ? "<hook>" : method) + "() did not finish within "
        + Durations.format(timeout));
    this.timeout = timeout;
  }

  /**
   * Creates the exception for a hook cut short by another limit, such as the shutdown budget:
   * {@code com.acme.Store.migrate() did not finish within the shutdown budget of 30s}.
   */
  public HookTimeoutException(String component, String method, Duration timeout, String limit) {
    super(component + "." + (method == null ? "<hook>" : method) + "() did not finish within "
        + limit + " " + Durations.format(timeout));
    this.timeout = timeout;
  }

  /**
   * Creates the exception for a hook that was never called because {@code limit} ran out first,
   * such as a stop hook the shutdown never reached while its dependents were still stopping:
   * {@code com.acme.Store.close() was not called: the shutdown budget of 30s ran out first}.
   *
   * @since 0.2
   */
  public static HookTimeoutException notCalled(String component, String method, Duration timeout, String limit) {
    return new HookTimeoutException(component + "." + (method == null ? "<hook>" : method) + "() was not called: "
        + limit + " " + Durations.format(timeout) + " ran out first", timeout);
  }

  private HookTimeoutException(String message, Duration timeout) {
    super(message);
    this.timeout = timeout;
  }

  /** The timeout that passed. */
  public Duration timeout() {
    return timeout;
  }
}

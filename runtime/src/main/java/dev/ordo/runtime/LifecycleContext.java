package dev.ordo.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * What a lifecycle hook may learn about the call it is in. A hook declares it as its only
 * parameter when it wants it:
 *
 * <pre>{@code
 * @OnStartup(timeout = "30s")
 * void warmUp(LifecycleContext context) {
 *   while (cache.loading() && !context.isCancelled()) { ... }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface LifecycleContext {
  /** The phase a hook runs in. */
  enum Phase {
    /** An {@link dev.ordo.OnStartup @OnStartup} hook. */
    STARTUP,
    /** An {@link dev.ordo.OnShutdown @OnShutdown} hook. */
    SHUTDOWN,
    /** A {@link dev.ordo.HealthCheck @HealthCheck} method. */
    HEALTH_CHECK
  }

  /** The name of the component whose hook runs (its class's canonical name). */
  String componentName();

  /** The phase of this call. */
  Phase phase();

  /** When the runtime gives up waiting for this call. */
  Instant deadline();

  /** Time left until the {@link #deadline()}, never negative. */
  default Duration remaining() {
    Duration left = Duration.between(Instant.now(), deadline());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * Whether the runtime no longer waits for this call: the deadline passed, or the application
   * is shutting down. A long hook should check it and return early.
   */
  boolean isCancelled();
}

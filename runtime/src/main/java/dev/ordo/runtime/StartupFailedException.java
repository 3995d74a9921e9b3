package dev.ordo.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown by {@link Ordo#start()} when the application cannot run: a critical component failed or
 * was skipped, or a shutdown was requested while starting. By the time it is thrown, every
 * component that had started has been stopped again, in reverse dependency order.
 *
 * <p>The message names every failed component and its cause; {@link #failures()} has them too,
 * and each cause is also {@linkplain #getSuppressed() suppressed} here so that stack traces show it.
 *
 * @since 0.1
 */
public final class StartupFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, Throwable> failures;
  private final boolean interruptedByShutdown;

  StartupFailedException(String message, Map<String, Throwable> failures, boolean interruptedByShutdown) {
    super(message);
    this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    this.interruptedByShutdown = interruptedByShutdown;
    failures.values().forEach(this::addSuppressed);
  }

  /** The components that failed (critical and optional), by name, with their causes. */
  public Map<String, Throwable> failures() {
    return failures;
  }

  /** Whether the start ended because a shutdown was requested while starting. */
  public boolean interruptedByShutdown() {
    return interruptedByShutdown;
  }
}

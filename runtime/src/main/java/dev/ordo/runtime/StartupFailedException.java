package dev.ordo.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown by {@link Ordo#start()} when the application cannot run: a critical component failed or
 * was skipped, a shutdown was requested while starting, or the thread in {@code start()} was
 * interrupted. By the time it is thrown, the components that had started have been stopped again,
 * in reverse dependency order, within the shutdown budget; {@link #rollbackReport()} says how that
 * went, and the message says so when a stop failed or was abandoned.
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
  private final transient ShutdownReport rollbackReport;

  /**
   * Creates the exception; the runtime does this.
   *
   * @param message what happened, every failure named
   * @param failures the components that failed, by name, with their causes
   * @param interruptedByShutdown whether a shutdown requested while starting ended the start
   * @param rollbackReport the report of the shutdown that stopped what had started
   */
  public StartupFailedException(String message, Map<String, Throwable> failures, boolean interruptedByShutdown,
      ShutdownReport rollbackReport) {
    super(message);
    this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    this.interruptedByShutdown = interruptedByShutdown;
    this.rollbackReport = rollbackReport;
    failures.values().forEach(this::addSuppressed);
  }

  /**
   * The report of the shutdown that rolled the start back: which components were stopped, which
   * stops failed or were abandoned when the budget ran out.
   */
  public ShutdownReport rollbackReport() {
    return rollbackReport;
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

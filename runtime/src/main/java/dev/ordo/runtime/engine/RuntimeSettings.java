package dev.ordo.runtime.engine;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Durations;
import dev.ordo.runtime.internal.Settings;
import java.time.Duration;

/**
 * The application's settings, resolved once at {@code build()} by the one set of rules of
 * {@link Settings} (builder, then {@code ordo.*} system property, then {@code ORDO_*} environment
 * variable, then default), and checked together: a budget that leaves the stop phase nothing is a
 * {@link ConfigurationException} naming the keys and their values.
 *
 * <h2>How one shutdown budget is shared</h2>
 * Let B be {@code ordo.shutdown.timeout}, D {@code ordo.shutdown.delay} and T
 * {@code ordo.shutdown.drain-timeout}. Everything that comes before the stop phase — the pre-stop
 * delay, the drain, and waiting for components still starting — ends at the latest D + T after
 * the shutdown began; the stop phase always has the rest, at least B − D − T. When T is not set,
 * it is min(10s, (B − D) / 2). D + T ≥ B is refused at build time.
 */
public final class RuntimeSettings {
  static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_COMPONENT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_THREADS = 64;

  final Duration startupTimeout;
  final int threads;
  final Duration shutdownTimeout;
  final Duration componentShutdownTimeout;
  final Duration shutdownDelay;
  final Duration drainTimeout;
  /** {@code ordo.kubernetes.grace-period}, or {@code null} when it was set nowhere. */
  final Duration gracePeriod;
  /** Where {@link #gracePeriod} comes from, for the warning. */
  final String gracePeriodSource;
  /** {@code ordo.shutdown.on-signal}, or {@code null} when it was set nowhere. */
  final Boolean shutdownOnSignal;

  /** Values given in code, each {@code null} when not given. */
  public record FromCode(
      Duration startupTimeout,
      Integer startupThreads,
      Duration shutdownTimeout,
      Duration componentShutdownTimeout,
      Duration shutdownDelay,
      Duration drainTimeout,
      Boolean shutdownOnSignal,
      Duration gracePeriod) {

    /** Without a grace period given in code. */
    public FromCode(Duration startupTimeout, Integer startupThreads, Duration shutdownTimeout,
        Duration componentShutdownTimeout, Duration shutdownDelay, Duration drainTimeout, Boolean shutdownOnSignal) {
      this(startupTimeout, startupThreads, shutdownTimeout, componentShutdownTimeout, shutdownDelay, drainTimeout,
          shutdownOnSignal, null);
    }
  }

  private RuntimeSettings(FromCode code, Settings settings) {
    startupTimeout = settings.duration("ordo.startup.timeout", code.startupTimeout(), DEFAULT_STARTUP_TIMEOUT);
    threads = settings.positiveInt("ordo.startup.threads", code.startupThreads(), DEFAULT_THREADS);
    shutdownTimeout = settings.duration("ordo.shutdown.timeout", code.shutdownTimeout(), DEFAULT_SHUTDOWN_TIMEOUT);
    componentShutdownTimeout = settings.duration(
        "ordo.shutdown.component-timeout", code.componentShutdownTimeout(), DEFAULT_COMPONENT_SHUTDOWN_TIMEOUT);
    shutdownOnSignal = settings.boolOrNull("ordo.shutdown.on-signal", code.shutdownOnSignal());
    shutdownDelay = settings.durationOrZero("ordo.shutdown.delay", code.shutdownDelay(), Duration.ZERO);
    Duration drain = settings.durationOrZero("ordo.shutdown.drain-timeout", code.drainTimeout(), null);
    long budget = Nanos.of(shutdownTimeout);
    long delay = Nanos.of(shutdownDelay);
    if (drain == null) {
      // Not configured: 10s, but never more than half of what the delay leaves.
      long half = budget == Nanos.NO_LIMIT ? Nanos.NO_LIMIT : Math.max(0, budget - delay) / 2;
      drain = half == Nanos.NO_LIMIT ? DEFAULT_DRAIN_TIMEOUT
          : Duration.ofNanos(Math.min(half, DEFAULT_DRAIN_TIMEOUT.toNanos()));
    }
    drainTimeout = drain;
    gracePeriod = settings.duration("ordo.kubernetes.grace-period", code.gracePeriod(), null);
    gracePeriodSource = settings.source("ordo.kubernetes.grace-period", code.gracePeriod() != null);
    long preStop = Nanos.add(delay, Nanos.of(drainTimeout));
    if (budget != Nanos.NO_LIMIT && preStop >= budget) {
      throw new ConfigurationException("The shutdown budget leaves the stop phase nothing:"
          + " ordo.shutdown.delay (" + Durations.format(shutdownDelay) + ", " + settings.source("ordo.shutdown.delay", code.shutdownDelay() != null) + ")"
          + " + ordo.shutdown.drain-timeout (" + Durations.format(drainTimeout) + ", " + settings.source("ordo.shutdown.drain-timeout", code.drainTimeout() != null) + ")"
          + " must be less than ordo.shutdown.timeout (" + Durations.format(shutdownTimeout) + ", " + settings.source("ordo.shutdown.timeout", code.shutdownTimeout() != null) + ")."
          + " Components stop in what the delay and the drain leave of the budget: shorten the"
          + " delay or the drain, or give the shutdown a longer budget.");
    }
  }

  /** Resolves and checks every setting. */
  public static RuntimeSettings resolve(FromCode code, Settings settings) {
    return new RuntimeSettings(code, settings);
  }

  /** The most hooks that may run at once. */
  public int threads() {
    return threads;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Whether {@code ordo.shutdown.on-signal} is true (it is false by default). */
  public boolean shutdownOnSignal() {
    return Boolean.TRUE.equals(shutdownOnSignal);
  }

  /**
   * Whether signals are handled when the application owns the process ({@code Ordo.run()}):
   * unless {@code ordo.shutdown.on-signal} was explicitly set to false, in code, a system
   * property or the environment.
   */
  public boolean shutdownOnSignalUnlessRefused() {
    return !Boolean.FALSE.equals(shutdownOnSignal);
  }

  /** When the stop phase begins at the latest, counted from the shutdown's beginning. */
  long preStopNanos() {
    return Nanos.add(Nanos.of(shutdownDelay), Nanos.of(drainTimeout));
  }
}

package dev.ordo.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of an application did, hook by hook: for every component, when its start hook
 * became ready (its dependencies had settled), when it began and ended and how; the same for its
 * stop hook in the stop phase and for the first run of its health checks once the application was
 * RUNNING; when each phase of the run began and ended; and the measured critical paths, the chains
 * of components that decided how long startup and the stop phase took.
 *
 * <pre>{@code
 * app.start();
 * Timeline t = app.timeline();
 * System.out.println("startup took " + t.startupDuration().orElseThrow()
 *     + ", decided by " + String.join(" -> ", t.criticalPath()));
 * for (Timeline.Component c : t.components()) {
 *   c.startup().ifPresent(s -> System.out.println(c.name() + " waited " + s.waited() + ", ran " + s.ran()));
 * }
 * Files.writeString(Path.of("startup.html"), t.toHtml());   // or ordo.report.file=startup.html
 * }</pre>
 *
 * <p>Every time is an offset from {@link #origin()}, the moment {@code start()} was called, read
 * from the monotonic clock and kept to the microsecond (rounded down; a time hours or days after
 * {@code start()} is kept as exactly). A timeline is an immutable snapshot: {@link Ordo#timeline()} takes a
 * new one each time, and what has not happened yet is absent. Recording costs a few atomic writes
 * per hook and takes no lock. {@code docs/observability.md} describes the JSON and HTML forms.
 *
 * @param origin when {@code start()} was called; {@link Instant#EPOCH} before it was
 * @param startupEnded when startup ended (RUNNING, or the rollback began after a critical failure)
 * @param shutdownBegan when the shutdown was requested
 * @param drainBegan when the drain began (new work refused); absent when the application was not
 *     RUNNING at the shutdown
 * @param drainEnded when the drain ended
 * @param stopPhaseBegan when the stop phase began
 * @param shutdownEnded when the shutdown's report was made (the components' stops were over)
 * @param components every component, in startup order
 * @param criticalPath the measured startup critical path: the component whose start ended last,
 *     preceded by the dependency that made it ready, and so on; in the order they started
 * @param shutdownCriticalPath the same for the stop phase, in the order they stopped
 * @since 0.1
 */
public record Timeline(
    Instant origin,
    Optional<Duration> startupEnded,
    Optional<Duration> shutdownBegan,
    Optional<Duration> drainBegan,
    Optional<Duration> drainEnded,
    Optional<Duration> stopPhaseBegan,
    Optional<Duration> shutdownEnded,
    List<Component> components,
    List<String> criticalPath,
    List<String> shutdownCriticalPath) {

  /** Checks for nulls and copies the lists. */
  public Timeline {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(startupEnded, "startupEnded");
    Objects.requireNonNull(shutdownBegan, "shutdownBegan");
    Objects.requireNonNull(drainBegan, "drainBegan");
    Objects.requireNonNull(drainEnded, "drainEnded");
    Objects.requireNonNull(stopPhaseBegan, "stopPhaseBegan");
    Objects.requireNonNull(shutdownEnded, "shutdownEnded");
    components = List.copyOf(components);
    criticalPath = List.copyOf(criticalPath);
    shutdownCriticalPath = List.copyOf(shutdownCriticalPath);
  }

  /** The timeline of an application that has not started. */
  public static Timeline empty() {
    return new Timeline(Instant.EPOCH, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(), List.of(), List.of());
  }

  /** How long startup took, from {@code start()} to its end; absent while it runs. */
  public Optional<Duration> startupDuration() {
    return startupEnded;
  }

  /** How long the shutdown took, from its request to its report; absent until it is over. */
  public Optional<Duration> shutdownDuration() {
    return shutdownBegan.flatMap(b -> shutdownEnded.map(e -> e.minus(b)));
  }

  /** The component named {@code name} ({@link ComponentDescriptor#name()}), if it is part of the application. */
  public Optional<Component> component(String name) {
    return components.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** This timeline as JSON (see {@code docs/observability.md} for its fields). */
  public String toJson() {
    return dev.ordo.runtime.engine.TimelineReport.json(this);
  }

  /**
   * This timeline as a self-contained HTML page: inline CSS and SVG, no script and nothing loaded
   * from elsewhere; a Gantt chart of startup and of shutdown with the critical paths outlined,
   * failures, skips and timeouts marked, hover titles and a table of exact numbers.
   */
  public String toHtml() {
    return dev.ordo.runtime.engine.TimelineReport.html(this);
  }

  /** The forms a timeline is written in ({@code ordo.report.format}). */
  public enum Format {
    /** A self-contained HTML page ({@link #toHtml()}); the default. */
    HTML,
    /** JSON ({@link #toJson()}). */
    JSON
  }

  /** How a hook ended. */
  public enum Outcome {
    /** It returned (or its stage completed) normally; the health check answered UP. */
    OK,
    /** It threw, or its stage failed; the health check answered DOWN. */
    FAILED,
    /** It passed its timeout. */
    TIMED_OUT,
    /** It never ran: a hard dependency was not running, or (a stop) the component never ran. */
    SKIPPED,
    /** The shutdown abandoned it: a start still running when the stop phase needed its time, a stop cut by the budget's end. */
    CANCELLED,
    /** It has not ended yet. */
    IN_PROGRESS
  }

  /**
   * One component of the run.
   *
   * @param name its name ({@link ComponentDescriptor#name()})
   * @param critical whether it is {@code @Critical}
   * @param startup its start (every component has one, even without an {@code @OnStartup} method;
   *     absent when startup never reached it)
   * @param shutdown its stop in the stop phase (absent when the stop phase has not reached it)
   * @param healthCheck the first run of its health checks once RUNNING (absent without checks, or
   *     before one ended; with several checks, the first to end): {@link Outcome#OK} when it
   *     answered UP, {@link Outcome#FAILED} for DOWN, {@link Outcome#TIMED_OUT}
   */
  public record Component(String name, boolean critical, Optional<Span> startup, Optional<Span> shutdown,
      Optional<Span> healthCheck) {
    /** Checks for nulls. */
    public Component {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(startup, "startup");
      Objects.requireNonNull(shutdown, "shutdown");
      Objects.requireNonNull(healthCheck, "healthCheck");
    }
  }

  /**
   * One hook of one component.
   *
   * @param phase which hook
   * @param outcome how it ended
   * @param ready when it could run: its dependencies (in the stop phase, its dependents) had settled
   * @param began when it was called; absent when it never was ({@link Outcome#SKIPPED})
   * @param ended when it ended (or was decided: timed out, skipped, abandoned)
   * @param readyAfter the component whose end made it ready (the last of its dependencies to settle;
   *     in the stop phase, the last of its dependents to stop); absent when nothing had to end first
   * @param waited how long it waited on its dependencies: from the phase's beginning to {@code ready}
   */
  public record Span(LifecycleContext.Phase phase, Outcome outcome, Duration ready, Optional<Duration> began,
      Optional<Duration> ended, Optional<String> readyAfter, Duration waited) {
    /** Checks for nulls. */
    public Span {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(ready, "ready");
      Objects.requireNonNull(began, "began");
      Objects.requireNonNull(ended, "ended");
      Objects.requireNonNull(readyAfter, "readyAfter");
      Objects.requireNonNull(waited, "waited");
    }

    /** How long it waited for a thread: from {@code ready} to {@code began} (zero if it never began). */
    public Duration queued() {
      return began.map(b -> b.compareTo(ready) > 0 ? b.minus(ready) : Duration.ZERO).orElse(Duration.ZERO);
    }

    /** How long it ran: from {@code began} to {@code ended} (zero if it never began or has not ended). */
    public Duration ran() {
      return began.flatMap(b -> ended.map(e -> e.compareTo(b) > 0 ? e.minus(b) : Duration.ZERO)).orElse(Duration.ZERO);
    }
  }
}

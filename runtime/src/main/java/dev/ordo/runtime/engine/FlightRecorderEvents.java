package dev.ordo.runtime.engine;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Ordo's JDK Flight Recorder events, all in the category "Ordo" and named {@code dev.ordo.*}:
 * every hook execution ({@code dev.ordo.Hook}), every transition of a component or of the
 * application ({@code dev.ordo.Transition}), every health check run ({@code dev.ordo.HealthCheck}),
 * the drain ({@code dev.ordo.Drain}) and each phase of a shutdown ({@code dev.ordo.ShutdownPhase}).
 *
 * <p>Enabled by default (JFR records them whenever a recording runs, e.g. {@code -XX:StartFlightRecording}),
 * and nearly free when none does. Each call site first asks {@link #recorderUp()} (one volatile
 * read): until Flight Recorder has been started in this JVM ({@code -XX:StartFlightRecording},
 * {@code jcmd <pid> JFR.start}, or a {@code jdk.jfr.Recording}), no event class is even loaded —
 * on JDK 17, loading the first class of an event initializes JFR's machinery, which costs a few
 * hundred milliseconds of startup. Once it has, the call site makes the event (a small object) and
 * asks its {@code isEnabled()} or {@code shouldCommit()}, filling and committing it only when a
 * recording wants it. No stack traces: the events' fields say where
 * they come from. Committing takes no lock of the runtime and never blocks on one.
 */
public final class FlightRecorderEvents {
  private FlightRecorderEvents() {}

  /**
   * Whether Flight Recorder has been started in this JVM: until then no recording can want an
   * event, and the event classes are left unloaded. Any thread; one volatile read.
   */
  public static boolean recorderUp() {
    return AVAILABLE && jdk.jfr.FlightRecorder.isInitialized();
  }

  /**
   * Whether the JVM has the {@code jdk.jfr} module at all: a runtime image built without it (jlink,
   * on the class path) runs Ordo without its events rather than failing in every hook.
   */
  private static final boolean AVAILABLE = available();

  private static boolean available() {
    try {
      Class.forName("jdk.jfr.FlightRecorder", false, FlightRecorderEvents.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }


  /** One execution of a start or stop hook; its duration is the hook's, up to its end or its timeout. */
  @Name("dev.ordo.Hook")
  @Label("Ordo Hook")
  @Category("Ordo")
  @Description("One execution of a component's @OnStartup or @OnShutdown hook")
  @StackTrace(false)
  static final class Hook extends Event {
    @Label("Component")
    String component;
    @Label("Phase")
    @Description("STARTUP or SHUTDOWN")
    String phase;
    @Label("Outcome")
    @Description("OK, FAILED or TIMED_OUT")
    String outcome;
    @Label("Error")
    @Description("The class of what the hook threw, if it did")
    String error;
  }

  /** A change of state of a component or of the application. */
  @Name("dev.ordo.Transition")
  @Label("Ordo Transition")
  @Category("Ordo")
  @Description("A component's or the application's change of state")
  @StackTrace(false)
  static final class Transition extends Event {
    @Label("Component")
    @Description("The component's name; empty for the application's own transitions")
    String component;
    @Label("From")
    String from;
    @Label("To")
    String to;
    @Label("Cause")
    @Description("The class of the failure behind a FAILED or SKIPPED, if any")
    String cause;
  }

  /** One run of one health check; its duration is the check's, up to its end or its timeout. */
  @Name("dev.ordo.HealthCheck")
  @Label("Ordo Health Check")
  @Category("Ordo")
  @Description("One run of a @HealthCheck method")
  @StackTrace(false)
  public static final class HealthCheck extends Event {
    @Label("Component")
    public String component;
    @Label("Check")
    public String check;
    @Label("Status")
    @Description("UP, DOWN or TIMED_OUT")
    public String status;
  }

  /** The drain of a shutdown: new work refused, work in flight awaited. */
  @Name("dev.ordo.Drain")
  @Label("Ordo Drain")
  @Category("Ordo")
  @Description("The drain of a shutdown: new work refused while work in flight finishes")
  @StackTrace(false)
  static final class Drain extends Event {
    @Label("In Flight At Start")
    long inFlightAtStart;
    @Label("In Flight At End")
    @Description("Units of work still in flight when the drain ended (0: all finished)")
    long inFlightAtEnd;
  }

  /** One phase of a shutdown. */
  @Name("dev.ordo.ShutdownPhase")
  @Label("Ordo Shutdown Phase")
  @Category("Ordo")
  @Description("One phase of a shutdown: DELAY, DRAIN, STOP or the whole SHUTDOWN")
  @StackTrace(false)
  static final class ShutdownPhase extends Event {
    @Label("Phase")
    String phase;
    @Label("Reason")
    String reason;
  }

  /** Commits a transition event when a recording wants it. */
  static void transition(String component, Object from, Object to, Throwable cause) {
    if (!recorderUp()) {
      return;
    }
    Transition e = new Transition();
    if (e.shouldCommit()) {
      e.component = component;
      e.from = String.valueOf(from);
      e.to = String.valueOf(to);
      e.cause = cause == null ? null : cause.getClass().getName();
      e.commit();
    }
  }

  /** A shutdown phase event begun now, or {@code null} when no recording wants it. */
  static ShutdownPhase beginPhase(String phase, Object reason) {
    if (!recorderUp()) {
      return null;
    }
    ShutdownPhase e = new ShutdownPhase();
    if (!e.isEnabled()) {
      return null;
    }
    e.phase = phase;
    e.reason = String.valueOf(reason);
    e.begin();
    return e;
  }

  /** Ends and commits {@code e} (from {@link #beginPhase}; {@code null}: nothing). */
  static void endPhase(ShutdownPhase e) {
    if (e != null) {
      e.end();
      if (e.shouldCommit()) {
        e.commit();
      }
    }
  }
}

package dev.ordo.runtime.engine;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.Durations;
import dev.ordo.runtime.HookTimeoutException;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.events.EventPublisher;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One shutdown, from the request to the report, within one budget (see {@link RuntimeSettings}
 * for how it is shared):
 *
 * <ol>
 *   <li>no component starts any more;
 *   <li>a RUNNING application drains: DRAINING, the pre-stop delay (work still accepted,
 *       readiness DOWN), then new work refused while work in flight finishes — both ending D + T
 *       after the request at the latest; a STARTING one instead lets starts in progress run until
 *       then, and abandons them after; so do the starts a {@link Recovery} began (retries,
 *       restarts), which the request stopped scheduling;
 *   <li>STOPPING: the {@link StopScheduler} stops what started, in reverse order, until the
 *       budget's end less the events' reserve, driven by this thread;
 *   <li>the report, frozen; the worker threads gone; the signal handlers removed;
 *   <li>the events delivered; the report and the final state told to everyone, last;
 *   <li>the listeners waited for until the budget's end, and their threads gone.
 * </ol>
 *
 * <p>Runs on exactly one thread (the one in {@code stop()}, a signal's, the JVM's shutdown hook's,
 * or one started for it); interrupts of that thread are remembered, not obeyed, and restored at
 * the end.
 */
final class ShutdownSequence {
  /** How long the end of a shutdown waits for idle threads to be gone. */
  static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** What the sequence needs of the application it shuts down. */
  interface Application {
    /** The stop phase began: a start that settles from now on is its business. */
    void stopPhaseBegan(StopScheduler stop);

    /** Runs under the monitor with the final change of state. */
    void sequenceOver();

    /** Every component's status, in startup order (read once, when the report is read). */
    List<ComponentStatus> components();

    /** The signal handlers, or {@code null}. */
    SignalHandling signals();
  }

  private final ShutdownReason reason;
  private final long began;
  private final RuntimeSettings settings;
  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  /** How each component's stop ended, written by the stop phase and read by the report. */
  private final StopRecords stops;
  private final StartupScheduler startup;
  /** The application's self-healing, or {@code null}. */
  private final Recovery recovery;
  private final Deadlines deadlines;
  private final WorkerPool workers;
  private final HookInvoker invoker;
  private final Engine.Drain drain;
  private final EventPublisher events;
  private final ApplicationStateMachine states;
  private final Engine.Transitions transitions;
  private final Application app;
  private final RunTimeline timeline;

  ShutdownSequence(ShutdownReason reason, long began, RuntimeSettings settings, ComponentGraph graph,
      ComponentNode[] nodes, StopRecords stops, StartupScheduler startup, Recovery recovery, Deadlines deadlines, WorkerPool workers,
      HookInvoker invoker,
      Engine.Drain drain, EventPublisher events, ApplicationStateMachine states, Engine.Transitions transitions,
      Application app, RunTimeline timeline) {
    this.reason = reason;
    this.began = began;
    this.settings = settings;
    this.graph = graph;
    this.nodes = nodes;
    this.stops = stops;
    this.startup = startup;
    this.recovery = recovery;
    this.deadlines = deadlines;
    this.workers = workers;
    this.invoker = invoker;
    this.drain = drain;
    this.events = events;
    this.states = states;
    this.transitions = transitions;
    this.app = app;
    this.timeline = timeline;
  }

  ShutdownReport run() {
    boolean interrupted = Thread.interrupted();
    long budget = Nanos.of(settings.shutdownTimeout);
    long deadline = Nanos.deadline(began, budget);
    long preStopEnd = Nanos.earlier(Nanos.deadline(began, settings.preStopNanos()), deadline);
    long reserve = events.enabled()
        ? events.flushReserveNanos(budget == Nanos.NO_LIMIT ? Duration.ofDays(1) : settings.shutdownTimeout) : 0;
    // The stop phase ends the events' reserve before the budget's end, but never before it had
    // its share, B - D - T, counted from when it begins (see below): a drain that never empties
    // must not leave it nothing because of the reserve.
    long stopDeadline = deadline == Nanos.NO_LIMIT ? Nanos.NO_LIMIT : deadline - reserve;
    long stopShare = budget == Nanos.NO_LIMIT ? Nanos.NO_LIMIT : Math.max(0, budget - settings.preStopNanos());
    startup.abandon("shutdown requested (" + reason + ")");
    timeline.phase(RunTimeline.SHUTDOWN_BEGAN, began);
    FlightRecorderEvents.ShutdownPhase whole = FlightRecorderEvents.beginPhase("SHUTDOWN", reason);

    ApplicationState from = states.beginStopping();
    long inFlightAtDrainStart = 0;
    long inFlightAtDrainEnd = 0;
    if (from == ApplicationState.RUNNING) {
      // Pre-stop delay: readiness already answers DOWN, traffic is still served, so that load
      // balancers stop routing here before anything is refused.
      long delayEnd = Nanos.earlier(Nanos.deadline(began, Nanos.of(settings.shutdownDelay)), preStopEnd);
      if (Nanos.left(delayEnd, System.nanoTime()) > 0) {
        Engine.LOG.log(Level.INFO, () -> "Draining: waiting " + Durations.format(settings.shutdownDelay)
            + " (ordo.shutdown.delay) before refusing new work");
        FlightRecorderEvents.ShutdownPhase delay = FlightRecorderEvents.beginPhase("DELAY", reason);
        interrupted |= sleepUntil(delayEnd);
        FlightRecorderEvents.endPhase(delay);
      }
      FlightRecorderEvents.ShutdownPhase drainPhase = FlightRecorderEvents.beginPhase("DRAIN", reason);
      FlightRecorderEvents.Drain drainEvent = FlightRecorderEvents.recorderUp() ? new FlightRecorderEvents.Drain() : null;
      if (drainEvent != null && drainEvent.isEnabled()) {
        drainEvent.begin();
      } else {
        drainEvent = null;
      }
      drain.startDraining();
      inFlightAtDrainStart = drain.inFlight();
      long drainStarted = System.nanoTime();
      timeline.phase(RunTimeline.DRAIN_BEGAN, drainStarted);
      long atStart = inFlightAtDrainStart;
      states.tellListeners(l -> l.drainStarted(atStart));
      inFlightAtDrainEnd = drain.awaitDrained(preStopEnd);
      long drainEnded = System.nanoTime();
      timeline.phase(RunTimeline.DRAIN_ENDED, drainEnded);
      Duration drainTook = Duration.ofNanos(drainEnded - drainStarted);
      if (drainEvent != null) {
        drainEvent.end();
        if (drainEvent.shouldCommit()) {
          drainEvent.inFlightAtStart = inFlightAtDrainStart;
          drainEvent.inFlightAtEnd = inFlightAtDrainEnd;
          drainEvent.commit();
        }
      }
      FlightRecorderEvents.endPhase(drainPhase);
      long left = inFlightAtDrainEnd;
      if (left > 0) {
        Engine.LOG.log(Level.WARNING, left + " units of work still in flight after draining for "
            + Durations.format(drainTook) + "; stopping components anyway");
      }
      states.tellListeners(l -> l.drainEnded(left, drainTook));
      states.transition(ApplicationState.DRAINING, ApplicationState.STOPPING);
      if (recovery != null) {
        // A retry or restart in progress is a start in progress: it may finish until the stop
        // phase's share begins, while everything that does not need it stops; then it is abandoned.
        Duration allowed = Duration.ofNanos(Nanos.left(preStopEnd, began));
        deadlines.add(preStopEnd, () -> recovery.abandonStarting(allowed,
            "the time a shutdown leaves starts in progress (ordo.shutdown.delay + ordo.shutdown.drain-timeout) of"));
      }
    } else {
      drain.startDraining();
      // Starts in progress may finish until the stop phase's share begins; meanwhile everything
      // that does not need them stops already.
      Duration allowed = Duration.ofNanos(Nanos.left(preStopEnd, began));
      deadlines.add(preStopEnd, () -> startup.abandonStarting(allowed,
          "the time a shutdown leaves starts in progress (ordo.shutdown.delay + ordo.shutdown.drain-timeout) of"));
    }

    if (reserve > 0 && stopDeadline != Nanos.NO_LIMIT) {
      stopDeadline = Nanos.earlier(deadline, Nanos.later(stopDeadline, Nanos.deadline(System.nanoTime(), stopShare)));
    }
    startup.stopPhaseBegins();
    StopScheduler stop = new StopScheduler(graph, nodes, stops, workers, invoker, deadlines,
        Nanos.of(settings.componentShutdownTimeout), stopDeadline, transitions, timeline);
    app.stopPhaseBegan(stop);
    timeline.phase(RunTimeline.STOP_BEGAN, System.nanoTime());
    FlightRecorderEvents.ShutdownPhase stopPhase = FlightRecorderEvents.beginPhase("STOP", reason);
    stop.begin();
    while (deadlines.drive(stop::done, stopDeadline) == Deadlines.Outcome.INTERRUPTED) {
      interrupted = true;
    }
    FlightRecorderEvents.endPhase(stopPhase);
    deadlines.purgeEnded();
    boolean startsSettled = startup.settled();
    if (!startsSettled && !startup.anyStarting()) {
      // No start hook runs any more: what is left is the bookkeeping of components that will never
      // start (skipped because the startup was abandoned), done on a worker that a loaded machine
      // may not have scheduled yet. It runs no user code; it is given a short grace, and no start
      // was cut by the budget whether or not it is done by then.
      deadlines.drive(startup::settled, Nanos.earlier(deadline, System.nanoTime() + GRACE_NANOS));
      startsSettled = true;
    }
    if (!startsSettled) {
      Engine.LOG.log(Level.WARNING, "Components still starting when the shutdown budget ran out: " + starting());
      startup.abandonStarting(settings.shutdownTimeout, "the shutdown budget of");
    }
    if (recovery != null) {
      recovery.abandonStarting(settings.shutdownTimeout, "the shutdown budget of");
    }
    ShutdownReport report = report(stop, startsSettled, inFlightAtDrainStart, inFlightAtDrainEnd, deadline);
    timeline.phase(RunTimeline.SHUTDOWN_ENDED, System.nanoTime());
    FlightRecorderEvents.endPhase(whole);
    SignalHandling signals = app.signals();
    if (signals != null) {
      signals.remove(reason == ShutdownReason.SIGNAL);
    }
    ApplicationState end = reason == ShutdownReason.STARTUP_FAILURE ? ApplicationState.FAILED : ApplicationState.STOPPED;
    // A stop hook that its timeout cut ends within moments of its interrupt, and may still report
    // something (a resource closed by force): it is given a short grace, never reaching into the
    // events' reserve.
    workers.retire(Nanos.earlier(stopDeadline, System.nanoTime() + GRACE_NANOS));
    // After the components stopped, before the end is reported, and before anything else waits:
    // the last events get the part of the budget the stop phase left them, even when a worker is
    // still inside a stop hook that overran. Its arithmetic needs a real deadline: "no limit"
    // becomes a very distant one.
    events.finish(states.state(), end, reason, report.duration(),
        deadline == Nanos.NO_LIMIT ? System.nanoTime() + Long.MAX_VALUE / 4 : deadline);
    // Idle workers are gone before the shutdown returns; one still inside a hook that overran is
    // waited for until a short grace, never past the budget.
    workers.close(Nanos.earlier(deadline, System.nanoTime() + GRACE_NANOS));
    if (recovery != null) {
      recovery.awaitGone(Nanos.earlier(deadline, System.nanoTime() + GRACE_NANOS)); // closed at the request
    }
    states.end(report, end, app::sequenceOver);
    Engine.LOG.log(report.clean() ? Level.INFO : Level.WARNING, report.toString());
    states.awaitListenersAndClose(deadline, Nanos.earlier(deadline, System.nanoTime() + GRACE_NANOS));
    if (interrupted || Thread.interrupted()) {
      Thread.currentThread().interrupt();
    }
    return report;
  }

  /** Closes the stop phase (from here the report is a frozen view) and makes the report. */
  private ShutdownReport report(StopScheduler stop, boolean startsSettled, long inFlightAtDrainStart,
      long inFlightAtDrainEnd, long deadline) {
    // A stop that ended just as the budget did may still be reporting its end (a few enqueues and
    // the internal observers, which never block): it is waited for a short grace past the budget,
    // or listeners would hear it after the application's end, or not at all.
    boolean[] endedAtClose = stop.close(settings.shutdownTimeout,
        Nanos.later(deadline, System.nanoTime() + GRACE_NANOS));
    boolean allEnded = true;
    for (boolean e : endedAtClose) {
      allEnded &= e;
    }
    List<String> abandoned = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    // Every stop ended, none with a failure, and no restart left a stop failure behind: nothing
    // to name, and no walk over the components.
    boolean clean = allEnded && stop.failures() == 0 && recovery == null;
    for (int k = clean ? -1 : graph.order.length - 1; k >= 0; k--) {
      ComponentNode node = nodes[graph.order[k]];
      Throwable stopFailure = node.shutdownFailure(stops);
      if (!endedAtClose[node.index] && node.needsStop()) {
        // Never reached by the stop phase, and no longer RUNNING (a late start that completed
        // after its timeout, still FAILED): its stop hook was never called.
        ComponentDescriptor d = node.descriptor();
        node.stopEnded(stops, -1, HookTimeoutException.notCalled(d.name(), d.shutdownHook(), settings.shutdownTimeout,
            "the shutdown budget of"));
        abandoned.add(d.name());
      } else if (stopFailure instanceof HookTimeoutException) {
        abandoned.add(node.descriptor().name());
      } else if (stopFailure != null) {
        failed.add(node.descriptor().name());
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    return new ShutdownReport(reason, took, settings.shutdownTimeout,
        !allEnded || !startsSettled || startup.startsAbandoned() || stop.budgetCut()
            || (recovery != null && recovery.startsAbandoned()),
        new FinalStatuses(app::components, nodes.length), List.copyOf(abandoned), List.copyOf(failed),
        inFlightAtDrainStart, inFlightAtDrainEnd);
  }

  /** Sleeps until {@code deadline}; returns whether an interrupt came meanwhile (not obeyed). */
  private static boolean sleepUntil(long deadline) {
    boolean interrupted = false;
    long left;
    while ((left = Nanos.left(deadline, System.nanoTime())) > 0) {
      LockSupport.parkNanos(left);
      interrupted |= Thread.interrupted();
    }
    return interrupted;
  }

  private List<String> starting() {
    List<String> names = new ArrayList<>();
    for (ComponentNode n : nodes) {
      if (n.state() == ComponentState.STARTING) {
        names.add(n.descriptor().name());
      }
    }
    return names;
  }

  /**
   * The components' statuses at the end of a shutdown, taken when first read: once the report is
   * made, nothing changes a component's state or outcome any more, so a report nobody reads costs
   * no snapshot per component.
   */
  private static final class FinalStatuses extends java.util.AbstractList<ComponentStatus>
      implements java.util.RandomAccess {
    private final Supplier<List<ComponentStatus>> source;
    private final int size;
    private volatile List<ComponentStatus> taken;

    FinalStatuses(Supplier<List<ComponentStatus>> source, int size) {
      this.source = source;
      this.size = size;
    }

    private List<ComponentStatus> list() {
      List<ComponentStatus> l = taken;
      if (l == null) {
        l = source.get();
        taken = l;
      }
      return l;
    }

    @Override
    public ComponentStatus get(int index) {
      return list().get(index);
    }

    @Override
    public int size() {
      return size;
    }
  }
}

package dev.ordo.runtime.engine;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentRecovery;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentTransition;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.ShutdownReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The application's state and everyone who hears of its changes.
 *
 * <pre>
 *   NEW ─▶ STARTING ─▶ RUNNING ─▶ DRAINING ─▶ STOPPING ─▶ STOPPED
 *   NEW ─▶ STOPPED                 STARTING ─▶ STOPPING ─▶ STOPPED | FAILED
 * </pre>
 *
 * <p>The state lives in one volatile field, so that {@link #state()} needs no lock; it changes
 * only under the application's monitor (shared with the {@link Engine}, which decides other
 * things atomically with a change), and each change enqueues the listeners' notification under
 * that monitor, so that every listener hears the changes in the order they were made (Guava's
 * {@code AbstractService} enqueues under its monitor and dispatches after it, the same way).
 * Listeners run later on their own {@link ListenerQueues}; the runtime's own observers (health,
 * events, metrics) are called inline right after the change, in order, under
 * {@link #observerLock} only, never under the monitor.
 *
 * <p>Component transitions are told to listeners and observers as the schedulers decide them; when
 * nobody listens, nothing is built.
 */
final class ApplicationStateMachine {
  private final Object monitor;
  private final ListenerQueues listeners;
  private final CopyOnWriteArrayList<LifecycleListener> observers = new CopyOnWriteArrayList<>();
  /**
   * Observers of the application's transitions and, of the components', only failures and skips and
   * whatever happens while the application runs (retries, restarts, recoveries).
   */
  private final CopyOnWriteArrayList<LifecycleListener> failureObservers = new CopyOnWriteArrayList<>();
  /** Orders the observers' calls like the changes; never held while taking the monitor. */
  private final Object observerLock = new Object();
  private volatile ApplicationState state = ApplicationState.NEW;

  ApplicationStateMachine(Object monitor, ListenerQueues listeners) {
    this.monitor = monitor;
    this.listeners = listeners;
  }

  ApplicationState state() {
    return state;
  }

  void addListener(LifecycleListener listener) {
    listeners.add(listener);
  }

  void addObserver(LifecycleListener observer) {
    observers.add(observer);
  }

  void addFailureObserver(LifecycleListener observer) {
    failureObservers.add(observer);
  }

  /** Enqueues one call to every listener (drains, health changes, reports). */
  void tellListeners(Consumer<LifecycleListener> call) {
    listeners.enqueue(call);
  }

  /** Changes the state and enqueues the listeners' notification; call {@link #observe} after releasing the monitor. */
  @GuardedBy("monitor")
  void setLocked(ApplicationState from, ApplicationState to) {
    state = to;
    monitor.notifyAll();
    listeners.enqueue(l -> l.applicationStateChanged(from, to));
  }

  /**
   * Changes the state without telling anyone yet: NEW -> STOPPED, whose notification must follow
   * the report the shutdown makes afterwards.
   */
  @GuardedBy("monitor")
  void setSilently(ApplicationState to) {
    state = to;
    monitor.notifyAll();
  }

  /** {@code from -> to} if the state is {@code from}; whether it changed. */
  boolean transition(ApplicationState from, ApplicationState to) {
    synchronized (monitor) {
      if (state != from) {
        return false;
      }
      setLocked(from, to);
    }
    observe(from, to);
    return true;
  }

  /**
   * The shutdown's first step: RUNNING drains, STARTING (a start interrupted, or rolled back) goes
   * straight to STOPPING. Returns the state the shutdown found.
   */
  ApplicationState beginStopping() {
    ApplicationState from;
    ApplicationState to;
    synchronized (monitor) {
      from = state;
      if (from == ApplicationState.RUNNING) {
        to = ApplicationState.DRAINING;
      } else if (from == ApplicationState.STARTING) {
        to = ApplicationState.STOPPING;
      } else {
        return from;
      }
      setLocked(from, to);
    }
    observe(from, to);
    return from;
  }

  /**
   * The end: the report first, the final state last — the last thing every listener and observer
   * hears. {@code whileLocked} runs under the monitor with the change.
   */
  void end(ShutdownReport report, ApplicationState end, Runnable whileLocked) {
    ApplicationState last;
    synchronized (monitor) {
      last = state;
      listeners.enqueue(l -> l.shutdownCompleted(report));
      setLocked(last, end);
      whileLocked.run();
    }
    observeShutdown(report);
    observe(last, end);
  }

  /** Tells the observers of the shutdown's report. */
  void observeShutdown(ShutdownReport report) {
    synchronized (observerLock) {
      tell(failureObservers, o -> o.shutdownCompleted(report));
      tell(observers, o -> o.shutdownCompleted(report));
    }
  }

  /** Tells the observers of an application change already made (after releasing the monitor). */
  void observe(ApplicationState from, ApplicationState to) {
    FlightRecorderEvents.transition("", from, to, null);
    if (observers.isEmpty() && failureObservers.isEmpty()) {
      return;
    }
    synchronized (observerLock) {
      tell(observers, o -> o.applicationStateChanged(from, to));
      tell(failureObservers, o -> o.applicationStateChanged(from, to));
    }
  }

  /** Tells observers and listeners of a component's change; builds nothing when nobody listens. */
  void componentChanged(ComponentDescriptor component, ComponentState from, ComponentState to, long tookNanos,
      Throwable cause) {
    FlightRecorderEvents.transition(component.name(), from, to, cause);
    // After the startup, a change is a recovery's (or a failure): rare, and the failure observers
    // need it to see a component come back.
    ApplicationState now = state;
    boolean failure = to == ComponentState.FAILED || to == ComponentState.SKIPPED
        || now == ApplicationState.RUNNING || now == ApplicationState.DRAINING;
    if (observers.isEmpty() && listeners.isEmpty() && (!failure || failureObservers.isEmpty())) {
      return;
    }
    ComponentTransition t = new ComponentTransition(component, from, to,
        tookNanos <= 0 ? Duration.ZERO : Duration.ofNanos(tookNanos), cause);
    tell(observers, o -> o.componentStateChanged(t));
    if (failure) {
      tell(failureObservers, o -> o.componentStateChanged(t));
    }
    if (!listeners.isEmpty()) {
      listeners.enqueue(l -> l.componentStateChanged(t));
    }
  }

  /** Tells observers and listeners that a component recovered (after its transition to RUNNING). */
  void componentRecovered(ComponentRecovery recovery) {
    tell(observers, o -> o.componentRecovered(recovery));
    tell(failureObservers, o -> o.componentRecovered(recovery));
    if (!listeners.isEmpty()) {
      listeners.enqueue(l -> l.componentRecovered(recovery));
    }
  }

  /** Waits until every listener heard everything, or {@code deadline}; then lets their threads go. */
  void awaitListenersAndClose(long deadline, long threadsGoneBy) {
    listeners.awaitDelivered(deadline);
    listeners.close(threadsGoneBy);
  }

  private static void tell(CopyOnWriteArrayList<LifecycleListener> who, Consumer<LifecycleListener> call) {
    for (LifecycleListener o : who) {
      try {
        call.accept(o);
      } catch (Throwable t) {
        Engine.LOG.log(Level.WARNING, "Internal observer " + o + " failed", t);
      }
    }
  }
}

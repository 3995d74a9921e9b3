package dev.ordo.runtime.engine;

import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records one run of an application for its {@link Timeline}: for each component and each hook
 * kind (start, stop, first health check), when it became ready, began and ended, how it ended, and
 * which component made it ready; and when each phase of the run began and ended.
 *
 * <p>Cheap and lock-free on purpose: the schedulers call it on their hot paths (worker threads,
 * threads completing asynchronous hooks, deadline threads). Each figure is one slot of an atomic
 * array, written once (the first write wins: a late or repeated end changes nothing), so the cost
 * is a few volatile writes per hook and, per kind of hook the run has used, {@value #SLOTS} longs
 * and {@value #INTS} ints per component: the stop slots are allocated when the first stop is
 * recorded, the health check slots when the first check is, so that a running application
 * without health checks keeps only its start slots. Nothing here blocks, throws or calls out. Reading ({@link #snapshot}) may happen at
 * any time on any thread: a figure not written yet reads as absent.
 */
final class RunTimeline {
  /** Hook kinds, each with its own slots. */
  static final int START = 0;
  static final int STOP = 1;
  static final int CHECK = 2;
  private static final int KINDS = 3;
  /** Per kind: ready, began, ended. */
  private static final int READY = 0;
  private static final int BEGAN = 1;
  private static final int ENDED = 2;
  static final int SLOTS = 3;
  /** Per kind: outcome (+1, 0 = none yet) and who made it ready (+1, 0 = none). */
  static final int INTS = 2;

  /** Phases of the run. */
  static final int STARTUP_BEGAN = 0;
  static final int STARTUP_ENDED = 1;
  static final int SHUTDOWN_BEGAN = 2;
  static final int DRAIN_BEGAN = 3;
  static final int DRAIN_ENDED = 4;
  static final int STOP_BEGAN = 5;
  static final int SHUTDOWN_ENDED = 6;
  private static final int PHASES = 7;

  private final int size;
  /** Per kind, its slots once a hook of that kind was recorded; {@code null} before. */
  private final AtomicReferenceArray<Slots> kinds = new AtomicReferenceArray<>(KINDS);
  private final AtomicLongArray phases = new AtomicLongArray(PHASES);
  private volatile long origin;
  private volatile Instant originInstant;

  RunTimeline(int size) {
    this.size = size;
    kinds.set(START, new Slots(size)); // every run that begins records starts
  }

  /** The figures of one kind of hook for every component. */
  private static final class Slots {
    /** Per component: ready, began, ended, in nanoseconds since the origin plus one; 0: not yet. */
    final AtomicLongArray times;
    /** Per component: the outcome and who made it ready. */
    final AtomicIntegerArray ints;

    Slots(int size) {
      times = new AtomicLongArray(Math.max(1, size * SLOTS));
      ints = new AtomicIntegerArray(Math.max(1, size * INTS));
    }
  }

  /** The slots of {@code kind}, allocated by the first writer (any thread; one wins). */
  private Slots write(int kind) {
    Slots s = kinds.get(kind);
    if (s == null) {
      Slots made = new Slots(size);
      s = kinds.compareAndExchange(kind, null, made);
      if (s == null) {
        s = made;
      }
    }
    return s;
  }

  /** The run begins now: {@code start()} was called (on its thread, once). */
  void begin(long nanos, Instant now) {
    origin = nanos;
    originInstant = now;
  }

  boolean begun() {
    return originInstant != null;
  }

  private long offset(long nanos) {
    return Math.max(0, nanos - origin) + 1;
  }

  void phase(int phase, long nanos) {
    if (originInstant != null) {
      phases.compareAndSet(phase, 0, offset(nanos));
    }
  }

  /**
   * Component {@code i}'s hook of {@code kind} can run from {@code nanos}; {@code after}: who released it, or -1.
   * A start or a stop is made ready by one thread (the one that released it) and begun by one
   * (the worker that runs it), one after the other, so their first writes need no compare-and-set:
   * a read and an ordered write (no fence on the schedulers' hot path). A first health check may
   * be recorded by several check threads at once, and keeps the compare-and-set.
   */
  void ready(int i, int kind, long nanos, int after) {
    Slots k = write(kind);
    AtomicLongArray times = k.times;
    AtomicIntegerArray ints = k.ints;
    int slot = i * SLOTS + READY;
    if (kind != CHECK) {
      if (times.getPlain(slot) == 0) {
        times.setRelease(slot, offset(nanos));
        if (after >= 0) {
          ints.setRelease(i * INTS + 1, after + 1);
        }
      }
    } else if (times.compareAndSet(slot, 0, offset(nanos)) && after >= 0) {
      ints.compareAndSet(i * INTS + 1, 0, after + 1);
    }
  }

  void began(int i, int kind, long nanos) {
    AtomicLongArray times = write(kind).times;
    int slot = i * SLOTS + BEGAN;
    if (kind != CHECK) {
      if (times.getPlain(slot) == 0) {
        times.setRelease(slot, offset(nanos)); // see ready()
      }
    } else {
      times.compareAndSet(slot, 0, offset(nanos));
    }
  }

  /** The hook ended with {@code outcome}; the first end recorded wins (and alone writes the time). */
  void ended(int i, int kind, long nanos, Timeline.Outcome outcome) {
    Slots k = write(kind);
    if (k.ints.compareAndSet(i * INTS, 0, outcome.ordinal() + 1)) {
      k.times.setRelease(i * SLOTS + ENDED, offset(nanos));
    }
  }

  /** Whether component {@code i}'s hook of {@code kind} has an outcome already. */
  boolean hasEnded(int i, int kind) {
    Slots k = kinds.get(kind);
    return k != null && k.ints.get(i * INTS) != 0;
  }

  private Optional<Duration> time(int i, int kind, int which) {
    Slots k = kinds.get(kind);
    long t = k == null ? 0 : k.times.get(i * SLOTS + which);
    return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(t - 1));
  }

  private Optional<Duration> phaseTime(int phase) {
    long t = phases.get(phase);
    return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(t - 1));
  }

  /** What was recorded so far, as the API's value. */
  Timeline snapshot(ComponentGraph graph, ComponentNode[] nodes) {
    Instant at = originInstant;
    if (at == null) {
      return Timeline.empty();
    }
    Optional<Duration> stopBegan = phaseTime(STOP_BEGAN);
    List<Timeline.Component> components = new ArrayList<>(size);
    for (int i : graph.order) {
      components.add(new Timeline.Component(nodes[i].descriptor().name(), nodes[i].descriptor().critical(),
          span(i, START, LifecycleContext.Phase.STARTUP, Duration.ZERO, nodes),
          span(i, STOP, LifecycleContext.Phase.SHUTDOWN, stopBegan.orElse(Duration.ZERO), nodes),
          span(i, CHECK, LifecycleContext.Phase.HEALTH_CHECK, phaseTime(STARTUP_ENDED).orElse(Duration.ZERO), nodes)));
    }
    return new Timeline(at, phaseTime(STARTUP_ENDED), phaseTime(SHUTDOWN_BEGAN), phaseTime(DRAIN_BEGAN),
        phaseTime(DRAIN_ENDED), stopBegan, phaseTime(SHUTDOWN_ENDED), components,
        criticalPath(START, nodes), criticalPath(STOP, nodes));
  }

  private Optional<Timeline.Span> span(int i, int kind, LifecycleContext.Phase phase, Duration phaseBegan,
      ComponentNode[] nodes) {
    Optional<Duration> ready = time(i, kind, READY);
    Optional<Duration> began = time(i, kind, BEGAN);
    Optional<Duration> ended = time(i, kind, ENDED);
    if (ready.isEmpty() && began.isEmpty() && ended.isEmpty()) {
      return Optional.empty();
    }
    // ended() writes the outcome before the end time: read the end time first, so that an outcome
    // seen without its end (a hook ending on another thread right now) still reads as in progress.
    AtomicIntegerArray ints = kinds.get(kind).ints; // written before any time was
    int outcome = ended.isEmpty() ? 0 : ints.get(i * INTS);
    int after = ints.get(i * INTS + 1);
    // Lazily: a hook still running has no end, and timeline() is read from any thread at any time.
    Duration readyAt = ready.or(() -> began).orElseGet(ended::get);
    return Optional.of(new Timeline.Span(phase,
        outcome == 0 ? Timeline.Outcome.IN_PROGRESS : Timeline.Outcome.values()[outcome - 1],
        readyAt, began, ended,
        after == 0 ? Optional.empty() : Optional.of(nodes[after - 1].descriptor().name()),
        readyAt.compareTo(phaseBegan) > 0 ? readyAt.minus(phaseBegan) : Duration.ZERO));
  }

  /**
   * The chain that decided how long the phase took: the component whose hook ended last, then the
   * component that made it ready, and so on back to one that was ready when the phase began;
   * returned in the order the hooks ran. Each step goes to a component released earlier, so the
   * walk ends (a bound on its length guards against a broken record all the same).
   */
  private List<String> criticalPath(int kind, ComponentNode[] nodes) {
    Slots k = kinds.get(kind);
    if (k == null) {
      return List.of();
    }
    AtomicLongArray times = k.times;
    AtomicIntegerArray ints = k.ints;
    int last = -1;
    long lastEnd = 0;
    for (int i = 0; i < size; i++) {
      long e = times.get(i * SLOTS + ENDED);
      if (e > lastEnd) {
        lastEnd = e;
        last = i;
      }
    }
    List<String> path = new ArrayList<>();
    for (int i = last, steps = 0; i >= 0 && steps <= size; steps++) {
      path.add(nodes[i].descriptor().name());
      i = ints.get(i * INTS + 1) - 1;
    }
    java.util.Collections.reverse(path);
    return List.copyOf(path);
  }
}

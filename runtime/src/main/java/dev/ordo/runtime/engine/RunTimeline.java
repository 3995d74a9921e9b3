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
 * is a few volatile writes per hook and, per kind of hook the run has used, {@value #SLOTS} ints
 * per component (16 bytes): the three times in microseconds since the origin, and the outcome and
 * who made the hook ready packed in one int. The stop slots are allocated when the first stop is
 * recorded, the health check slots when the first check is, so that a running application
 * without health checks keeps only its start slots.
 *
 * <p>An int of microseconds holds 35 minutes. A time later than that after {@code start()} (a
 * start hook without a timeout that hangs, a stop phase requested hours later) is not cut, wrapped
 * or saturated: its slot holds {@link #WIDE}, and the time itself is in a slot of long microseconds
 * of that kind ({@link Slots#wide}), allocated by the first such time. Nothing here blocks, throws
 * or calls out. Reading ({@link #snapshot}) may happen at any time on any thread: a figure not
 * written yet reads as absent. Every time, the phases' included, is kept to the microsecond (rounded
 * down, so that the order of any two figures is kept).
 */
final class RunTimeline {
  /** Hook kinds, each with its own slots. */
  static final int START = 0;
  static final int STOP = 1;
  static final int CHECK = 2;
  private static final int KINDS = 3;
  /** Per kind and component, ints: ready, began, ended (microseconds since the origin plus one; 0: not yet), and packed. */
  private static final int READY = 0;
  private static final int BEGAN = 1;
  private static final int ENDED = 2;
  /**
   * The outcome's ordinal plus one in the low {@value #OUTCOME_BITS} bits (0: none yet), the index
   * of the component that made the hook ready plus one above them (0: none).
   */
  private static final int PACKED = 3;
  static final int SLOTS = 4;
  private static final int OUTCOME_BITS = 3;
  private static final int OUTCOME_MASK = (1 << OUTCOME_BITS) - 1;
  /** The largest index a component's "made ready by" can hold: far above what an array of slots can. */
  private static final int MAX_AFTER = (Integer.MAX_VALUE >>> OUTCOME_BITS) - 1;
  /** In a time slot: the time did not fit in an int, and is in the kind's wide slot. */
  static final int WIDE = Integer.MAX_VALUE;

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
  /** Per phase, microseconds since the origin plus one; 0: not yet. */
  private final AtomicLongArray phases = new AtomicLongArray(PHASES);
  private volatile long origin;
  private volatile Instant originInstant;

  RunTimeline(int size) {
    if (size > MAX_AFTER || size > Integer.MAX_VALUE / SLOTS) {
      throw new IllegalArgumentException("too many components for a timeline: " + size);
    }
    this.size = size;
    kinds.set(START, new Slots(size)); // every run that begins records starts
  }

  /** The figures of one kind of hook for every component. */
  private static final class Slots {
    /** Per component, {@value #SLOTS} ints: ready, began, ended and packed. */
    final AtomicIntegerArray ints;
    /**
     * The times that do not fit in an int ({@link #WIDE} in their slot), in microseconds since the
     * origin plus one, at the same index as their slot; {@code null} until the first such time.
     */
    volatile AtomicLongArray wide;

    Slots(int size) {
      ints = new AtomicIntegerArray(Math.max(1, size * SLOTS));
    }

    /** The wide slots, allocated by the first writer (any thread; one wins). */
    AtomicLongArray wide() {
      AtomicLongArray w = wide;
      if (w == null) {
        synchronized (this) { // once per run at most, never on a hot path; nothing called under it
          w = wide;
          if (w == null) {
            w = new AtomicLongArray(ints.length());
            wide = w;
          }
        }
      }
      return w;
    }

    /** The time in {@code slot} (microseconds plus one), or 0 when it is not written yet. */
    long time(int slot) {
      int t = ints.get(slot);
      return t != WIDE ? t : wide.get(slot); // written before the WIDE that points to it
    }

    /**
     * Writes {@code micros} (plus one) to {@code slot} if nothing is there. {@code contended}: other
     * threads may write the slot at the same time (a compare-and-set decides); else the one writer
     * uses an ordered write, with no fence on the schedulers' hot path. Whether this call wrote it.
     */
    boolean first(int slot, long micros, boolean contended) {
      long v = micros + 1;
      int t = v < WIDE ? (int) v : WIDE;
      if (!contended) {
        if (ints.getPlain(slot) != 0) {
          return false;
        }
        if (t == WIDE) {
          wide().setRelease(slot, v);
        }
        ints.setRelease(slot, t);
        return true;
      }
      if (ints.get(slot) != 0) {
        return false;
      }
      if (t == WIDE) {
        wide().compareAndSet(slot, 0, v); // the first wide writer's: see the class comment
      }
      return ints.compareAndSet(slot, 0, t);
    }

    /** Records {@code after} as who made the hook in {@code slot} ready, unless one already is. */
    void after(int slot, int after) {
      int v = ints.get(slot);
      while ((v >>> OUTCOME_BITS) == 0) {
        int witness = ints.compareAndExchange(slot, v, v | ((after + 1) << OUTCOME_BITS));
        if (witness == v) {
          return;
        }
        v = witness; // an outcome written meanwhile: kept, with this added to it
      }
    }

    /** Records {@code outcome} unless one already is; whether this call did. */
    boolean outcome(int slot, Timeline.Outcome outcome) {
      int v = ints.get(slot);
      while ((v & OUTCOME_MASK) == 0) {
        int witness = ints.compareAndExchange(slot, v, v | (outcome.ordinal() + 1));
        if (witness == v) {
          return true;
        }
        v = witness; // who made it ready was written meanwhile: kept
      }
      return false;
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

  /** Microseconds from the origin to {@code nanos} (rounded down; 0 for a time before it). */
  private long offset(long nanos) {
    return Math.max(0, nanos - origin) / 1000;
  }

  void phase(int phase, long nanos) {
    if (originInstant != null) {
      phases.compareAndSet(phase, 0, offset(nanos) + 1);
    }
  }

  /**
   * Component {@code i}'s hook of {@code kind} can run from {@code nanos}; {@code after}: who released it, or -1.
   * A start or a stop is made ready by one thread (the one that released it) and begun by one
   * (the worker that runs it), one after the other, so their first writes need no compare-and-set:
   * a read and an ordered write (no fence on the schedulers' hot path). Who released it shares an
   * int with the outcome, so it is added by a compare-and-set (only when there is one: not for the
   * roots of startup, most components of a flat graph). A first health check may be recorded by
   * several check threads at once, and always uses compare-and-sets.
   */
  void ready(int i, int kind, long nanos, int after) {
    Slots k = write(kind);
    if (k.first(i * SLOTS + READY, offset(nanos), kind == CHECK) && after >= 0) {
      k.after(i * SLOTS + PACKED, after);
    }
  }

  void began(int i, int kind, long nanos) {
    write(kind).first(i * SLOTS + BEGAN, offset(nanos), kind == CHECK); // see ready()
  }

  /** The hook ended with {@code outcome}; the first end recorded wins (and alone writes the time). */
  void ended(int i, int kind, long nanos, Timeline.Outcome outcome) {
    Slots k = write(kind);
    if (k.outcome(i * SLOTS + PACKED, outcome)) {
      k.first(i * SLOTS + ENDED, offset(nanos), false); // one writer: the one that set the outcome
    }
  }

  /** Whether component {@code i}'s hook of {@code kind} has an outcome already. */
  boolean hasEnded(int i, int kind) {
    Slots k = kinds.get(kind);
    return k != null && (k.ints.get(i * SLOTS + PACKED) & OUTCOME_MASK) != 0;
  }

  private Optional<Duration> time(int i, int kind, int which) {
    Slots k = kinds.get(kind);
    long t = k == null ? 0 : k.time(i * SLOTS + which);
    return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos((t - 1) * 1000));
  }

  private Optional<Duration> phaseTime(int phase) {
    long t = phases.get(phase);
    return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos((t - 1) * 1000));
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
        criticalPath(START, graph, nodes), criticalPath(STOP, graph, nodes));
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
    int packed = kinds.get(kind).ints.get(i * SLOTS + PACKED); // the slots were there before any time
    int outcome = ended.isEmpty() ? 0 : packed & OUTCOME_MASK;
    int after = packed >>> OUTCOME_BITS;
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
   * walk ends (a bound on its length guards against a broken record all the same). Ends within
   * the same microsecond are told apart by the order the graph forces: of those, the last in
   * startup order for startup, the first for the stop phase (which runs it backwards).
   */
  private List<String> criticalPath(int kind, ComponentGraph graph, ComponentNode[] nodes) {
    Slots k = kinds.get(kind);
    if (k == null) {
      return List.of();
    }
    int last = -1;
    long lastEnd = 0;
    int[] order = graph.order;
    for (int n = 0; n < order.length; n++) {
      int i = order[kind == STOP ? order.length - 1 - n : n];
      long e = k.time(i * SLOTS + ENDED);
      if (e != 0 && e >= lastEnd) {
        lastEnd = e;
        last = i;
      }
    }
    List<String> path = new ArrayList<>();
    for (int i = last, steps = 0; i >= 0 && steps <= size; steps++) {
      path.add(nodes[i].descriptor().name());
      i = (k.ints.get(i * SLOTS + PACKED) >>> OUTCOME_BITS) - 1;
    }
    java.util.Collections.reverse(path);
    return List.copyOf(path);
  }
}

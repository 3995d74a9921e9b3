package dev.ordo.runtime.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The deadlines of the hooks in flight, enforced by the threads that wait for them.
 *
 * <p>Whoever waits for a phase of the lifecycle — the thread in {@code start()}, the thread that
 * runs the shutdown — {@linkplain #drive drives} the deadlines while it waits: it parks until the
 * earliest pending deadline (at most 50 ms while the phase lasts, or until it is woken), fires the
 * deadlines that passed, and looks for hooks that block the worker pool. So no thread exists only
 * to watch the clock, nothing wakes once the phase is over, and a listener can never delay a
 * timeout: listeners run elsewhere.
 *
 * <p>A hook registers its {@link Deadline} with one lock-free enqueue and ends it with one
 * compare-and-set; most hooks end long before their deadline, so ended entries are only dropped
 * at the next look (and a look is forced every {@value #COMPACT_EVERY} registrations). A hook
 * called on one of the application's workers needs not even that: its deadline goes into the
 * worker's own {@link Slot} (one per worker, reused for every hook it runs, found by the drivers'
 * looks), and moves to the queue only when the hook's method returns a stage still in progress.
 *
 * <p>Threads: {@link #add} and {@link Deadline#cancel} from any thread; {@link #drive} from any
 * number of waiting threads at once (each due action runs exactly once, on one of them). Actions
 * run on a driving thread and must be short: they decide an outcome, interrupt a runner, and hand
 * every further step (listeners included) to queues.
 */
final class Deadlines implements HookInvoker.Timer {
  private static final System.Logger LOG = System.getLogger("dev.ordo.runtime.Ordo");
  static final int COMPACT_EVERY = 1024;
  /**
   * While a phase waits with no deadline pending, its driver still looks this often, so that a
   * hook registering a distant deadline need not wake it.
   */
  private static final long IDLE_LOOK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);

  /** What {@link #drive} returns. */
  enum Outcome {
    /** The awaited condition holds. */
    DONE,
    /** The limit passed first. */
    LIMIT,
    /** The driving thread was interrupted (its flag is cleared; the caller decides). */
    INTERRUPTED
  }

  private final ConcurrentLinkedQueue<Deadline> pending = new ConcurrentLinkedQueue<>();
  /** The workers' slots: one per worker that has run a hook with a deadline here. */
  private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Driver> drivers = new CopyOnWriteArrayList<>();
  private final AtomicInteger added = new AtomicInteger();
  /** Asked each look: when the worker pool wants its next stall check (or NO_LIMIT). */
  private volatile StallWatch stallWatch;

  /** A source of extra looks: the worker pool, watching for blocked hooks. */
  interface StallWatch {
    /** Looks at {@code now}; returns when it wants the next look, or {@link Nanos#NO_LIMIT}. */
    long look(long now);
  }

  /** One hook's deadline: the action it holds until it fires or is cancelled (one object, not two). */
  static final class Deadline extends AtomicReference<Runnable> implements HookInvoker.Scheduled {
    private static final long serialVersionUID = 1L;
    static final Deadline NONE = new Deadline(Nanos.NO_LIMIT, null);

    final long at;

    private Deadline(long at, Runnable action) {
      super(action);
      this.at = at;
    }

    /** The hook ended: the action will not run, and what it holds is let go at once. */
    @Override
    public void cancel() {
      if (this != NONE) {
        set(null);
      }
    }

    boolean ended() {
      return get() == null;
    }

    /** Takes the action, once: {@code null} if it was taken or cancelled. */
    Runnable take() {
      return this == NONE ? null : getAndSet(null);
    }
  }

  /**
   * The deadline of the hook running on one worker thread: the thread arms it before it calls a
   * hook and disarms it when the hook ends, with plain volatile writes and no allocation; the
   * drivers take its action with one compare-and-set when it passes. Only its worker arms or
   * disarms it, and only for the one hook it is inside (a stage still in progress moves its
   * deadline to the queue: {@link #keepBeyondThisThread}).
   */
  static final class Slot extends AtomicReference<Runnable> implements HookInvoker.Scheduled {
    private static final long serialVersionUID = 1L;
    private final transient Deadlines owner;
    private final transient Thread thread;
    /** When the armed action is due; written by the worker before the action (published by it). */
    volatile long at;

    Slot(Deadlines owner, Thread thread) {
      this.owner = owner;
      this.thread = thread;
    }

    Deadlines owner() {
      return owner;
    }

    @Override
    public void cancel() {
      if (Thread.currentThread() == thread) {
        // No fence needed: a driver that still reads the old action and takes it runs the
        // timeout of a call that has ended, which does nothing.
        lazySet(null);
      }
      // From another thread (never done today): left armed; when it fires, the call it holds has
      // ended already and does nothing, and the slot is free again.
    }

    @Override
    public HookInvoker.Scheduled keepBeyondThisThread() {
      long due = at;
      Runnable action = getAndSet(null);
      return action == null ? Deadline.NONE : owner.add(due, action); // null: it fired already
    }
  }

  /** Drops the deadlines that ended: at the end of a phase, so that none is kept until the next. */
  void purgeEnded() {
    pending.removeIf(Deadline::ended);
  }

  private static final class Driver {
    final Thread thread = Thread.currentThread();
    /** Looking (not parked): any add must unpark it, since its look may have missed the add. */
    volatile boolean looking = true;
    volatile long wakeAt = Nanos.NO_LIMIT;
  }

  void watchStalls(StallWatch watch) {
    this.stallWatch = watch;
  }

  /**
   * A hook's deadline: in the calling worker's {@link Slot} when it is free (the hook runs on that
   * thread until it returns), else queued like {@link #add}.
   */
  @Override
  public HookInvoker.Scheduled schedule(long deadline, Runnable action) {
    if (deadline == Nanos.NO_LIMIT) {
      return Deadline.NONE;
    }
    Thread t = Thread.currentThread();
    if (!(t instanceof WorkerPool.WorkerThread)) {
      return add(deadline, action);
    }
    WorkerPool.WorkerThread worker = (WorkerPool.WorkerThread) t;
    Slot slot = worker.slot;
    if (slot == null) {
      slot = new Slot(this, t);
      worker.slot = slot;
      slots.add(slot);
    }
    if (slot.owner != this || slot.get() != null) {
      // Another application's hook on this worker, or a hook called from inside a hook here.
      return add(deadline, action);
    }
    slot.at = deadline;
    slot.set(action);
    wakeDriversBefore(deadline, false);
    return slot;
  }

  /** The worker {@code slot} belongs to ends: its slot is not looked at any more. */
  void retire(Slot slot) {
    slots.remove(slot);
  }

  /** Unparks the drivers that would otherwise sleep past {@code at} (or might have missed it). */
  private void wakeDriversBefore(long at, boolean all) {
    for (Driver driver : drivers) {
      if (all || driver.looking || at - driver.wakeAt < 0) {
        LockSupport.unpark(driver.thread);
      }
    }
  }

  /** Registers {@code action} to run at {@code at} ({@link System#nanoTime()}), unless cancelled first. */
  Deadline add(long at, Runnable action) {
    if (at == Nanos.NO_LIMIT) {
      return Deadline.NONE;
    }
    Deadline d = new Deadline(at, action);
    pending.add(d);
    boolean compact = added.incrementAndGet() % COMPACT_EVERY == 0;
    // A driver always parks until a finite time (at most IDLE_LOOK ahead), so a deadline later
    // than that is seen at its next look: most adds (hooks on their default timeouts) wake nobody.
    wakeDriversBefore(at, compact);
    return d;
  }

  /** Wakes every driving thread: the condition it waits for may hold now. */
  void wakeDrivers() {
    for (Driver driver : drivers) {
      LockSupport.unpark(driver.thread);
    }
  }

  /**
   * Drives the deadlines until {@code done} holds, {@code limit} passes, or the thread is
   * interrupted. Whoever makes {@code done} true must call {@link #wakeDrivers()}.
   */
  Outcome drive(BooleanSupplier done, long limit) {
    Driver me = new Driver();
    drivers.add(me);
    try {
      while (true) {
        me.looking = true;
        if (done.getAsBoolean()) {
          return Outcome.DONE;
        }
        long now = System.nanoTime();
        if (Nanos.passed(limit, now)) {
          return Outcome.LIMIT;
        }
        long next = Nanos.earlier(fireDue(now), limit);
        StallWatch watch = stallWatch;
        if (watch != null) {
          next = Nanos.earlier(next, watch.look(now));
        }
        if (next == Nanos.NO_LIMIT) {
          next = now + IDLE_LOOK_NANOS;
        }
        me.wakeAt = next;
        me.looking = false;
        // Checked again after publishing wakeAt: an add or a wake-up from here on unparks us.
        if (done.getAsBoolean()) {
          return Outcome.DONE;
        }
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          LockSupport.parkNanos(this, sleep);
        }
        if (Thread.interrupted()) {
          return Outcome.INTERRUPTED;
        }
      }
    } finally {
      drivers.remove(me);
    }
  }

  /** Fires what is due at {@code now}, drops what ended; returns the earliest pending deadline. */
  private long fireDue(long now) {
    long next = Nanos.NO_LIMIT;
    List<Runnable> due = null;
    for (var it = pending.iterator(); it.hasNext(); ) {
      Deadline d = it.next();
      if (d.ended()) {
        it.remove();
      } else if (d.at - now <= 0) {
        it.remove();
        Runnable action = d.take();
        if (action != null) {
          if (due == null) {
            due = new ArrayList<>();
          }
          due.add(action);
        }
      } else {
        next = Nanos.earlier(next, d.at);
      }
    }
    for (Slot slot : slots) {
      Runnable action = slot.get();
      if (action != null) {
        long at = slot.at; // read after the action: at least as new as it
        if (at - now <= 0) {
          if (slot.compareAndSet(action, null)) {
            if (due == null) {
              due = new ArrayList<>();
            }
            due.add(action);
          }
        } else {
          next = Nanos.earlier(next, at);
        }
      }
    }
    if (due != null) {
      for (Runnable action : due) {
        try {
          action.run();
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.ERROR, "A timeout action failed", e);
        }
      }
    }
    return next;
  }
}

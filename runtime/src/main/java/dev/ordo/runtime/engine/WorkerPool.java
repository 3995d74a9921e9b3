package dev.ordo.runtime.engine;

import dev.ordo.runtime.internal.LifecycleThreads;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The threads of one application that run its lifecycle hooks.
 *
 * <p>Hooks block (they open connections and files), so the pool may grow to the parallelism the
 * graph allows, up to {@code ordo.startup.threads}, rather than to the number of cores. But
 * threads cost time to create, and most hooks return at once, so a thread is added eagerly only
 * while the pool has fewer threads than cores; beyond that, only when work waits while the running
 * hooks make no progress for {@value #STALL_MICROS} µs — the sign that they block. The threads
 * that drive the {@link Deadlines} make that check ({@link #look}), so a ready hook waits at most
 * about that long for a thread while the cap allows one.
 *
 * <p>A hook that passes its timeout may keep its thread forever; {@link #compensate()} lets the
 * pool add a thread in its place. Idle threads end after a second, and at once after
 * {@link #close()}; a thread still inside a hook that overran its timeout ends when the hook
 * returns.
 *
 * <p>Threads: {@link #execute} from any thread (hooks' completions, timeouts, drivers);
 * tasks never run under the pool's monitor.
 */
final class WorkerPool implements Deadlines.StallWatch {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long STALL_MICROS = 100;
  private static final long STALL_NANOS = TimeUnit.MICROSECONDS.toNanos(STALL_MICROS);
  /** No progress at all for this long means the hooks block, even where no worker shows it. */
  private static final long SLOW_PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /** Threads started as soon as work needs them, before any sign that hooks block. */
  private static final int EAGER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private final String namePrefix;
  private final Object owner;
  private final Consumer<Throwable> onUnexpected;
  private final Runnable onBacklog;

  @GuardedBy("this") private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  @GuardedBy("this") private int maxThreads;
  @GuardedBy("this") private int threads;
  @GuardedBy("this") private int idle;
  @GuardedBy("this") private int signalled;
  @GuardedBy("this") private int created;
  /** Tasks taken by workers so far: the measure of progress. */
  @GuardedBy("this") private long taken;
  @GuardedBy("this") private long takenAtLastLook = -1;
  /** When a look last saw progress (or began to look). */
  @GuardedBy("this") private long progressSeenAt;
  @GuardedBy("this") private int waitingAtLastLook;
  @GuardedBy("this") private final java.util.ArrayList<Thread> workers = new java.util.ArrayList<>();
  @GuardedBy("this") private boolean closed;
  @GuardedBy("this") private int peakThreads;

  /**
   * @param owner the application whose callbacks run here ({@link LifecycleThreads})
   * @param onUnexpected told of anything a task lets escape: tasks handle the hooks' failures
   *     themselves, so an escaped throwable is a failure of the engine itself
   * @param onBacklog called (outside the monitor) when work starts to wait for a thread, so that
   *     the drivers begin to look for stalls
   */
  WorkerPool(String namePrefix, int maxThreads, Object owner, Consumer<Throwable> onUnexpected, Runnable onBacklog) {
    this.namePrefix = namePrefix;
    this.maxThreads = maxThreads;
    this.owner = owner;
    this.onUnexpected = onUnexpected;
    this.onBacklog = onBacklog;
  }

  void execute(Runnable task) {
    boolean spawn = false;
    boolean backlog = false;
    synchronized (this) {
      queue.addLast(task);
      if (idle > signalled) {
        signalled++;
        notify();
      } else if (threads < maxThreads && threads < EAGER_THREADS) {
        threads++;
        spawn = true;
      } else if (threads < maxThreads && queue.size() == 1) {
        backlog = true;
      }
    }
    if (spawn) {
      startWorker();
    }
    if (backlog) {
      onBacklog.run();
    }
  }

  /**
   * A driver's look, every {@value #STALL_MICROS} µs while work waits for a thread: when no task
   * was taken over two looks and workers wait inside their hooks, those hooks block, and a thread
   * is added for each of them (up to the waiting tasks and the cap); when nothing at all moved
   * for 20 ms, one thread is added.
   */
  @Override
  public long look(long now) {
    int add = 0;
    long next;
    synchronized (this) {
      if (queue.isEmpty() || threads >= maxThreads || idle > signalled || closed) {
        takenAtLastLook = -1;
        return Nanos.NO_LIMIT;
      }
      int waiting = waitingWorkers();
      if (taken != takenAtLastLook) {
        takenAtLastLook = taken;
        progressSeenAt = now;
        waitingAtLastLook = 0;
      } else if (waiting > 0 && waitingAtLastLook > 0) {
        // Two looks in a row without a task taken, while workers wait inside their hooks (sleep,
        // await, park): those hooks block. Replace each waiting one, up to the cap. A worker
        // merely preempted on a busy machine is RUNNABLE, and adds none.
        add = Math.min(Math.min(queue.size(), maxThreads - threads), waiting);
      } else if (now - progressSeenAt >= SLOW_PROGRESS_NANOS) {
        // No progress at all for much longer, whatever the workers show (I/O is RUNNABLE): one more.
        add = 1;
        progressSeenAt = now;
      }
      if (add > 0) {
        takenAtLastLook = -1; // look afresh, once the new threads had a chance to take work
        waitingAtLastLook = 0;
      } else if (taken == takenAtLastLook) {
        waitingAtLastLook = waiting;
      }
      threads += add;
      next = now + STALL_NANOS;
    }
    for (int i = 0; i < add; i++) {
      startWorker();
    }
    return next;
  }

  /** Workers waiting (not on a monitor: contention is progress) — inside their hooks, since none is idle here. */
  @GuardedBy("this")
  private int waitingWorkers() {
    int n = 0;
    for (Thread t : workers) {
      Thread.State st = t.getState();
      if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
        n++;
      }
    }
    return n;
  }

  /** Allows one more thread, in place of one held by a hook that passed its timeout. */
  void compensate() {
    boolean spawn = false;
    synchronized (this) {
      maxThreads++;
      if (!queue.isEmpty() && idle <= signalled && threads < maxThreads && !closed) {
        threads++;
        spawn = true;
      }
    }
    if (spawn) {
      startWorker();
    }
  }

  /**
   * Idle threads end now, busy ones when their task ends; tasks still queued are dropped. Waits
   * until {@code deadline} at most for the idle ones to be gone, so that none is left when the
   * shutdown returns; a thread held by a hook that overran its timeout is not waited for past it.
   */
  void close(long deadline) {
    Thread[] all;
    synchronized (this) {
      closed = true;
      queue.clear();
      notifyAll();
      all = workers.toArray(new Thread[0]);
    }
    boolean interrupted = false;
    for (Thread t : all) {
      while (t.isAlive()) {
        long left = Nanos.left(deadline, System.nanoTime());
        if (left == 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedJoin(t, left == Nanos.NO_LIMIT ? TimeUnit.SECONDS.toNanos(1) : left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The most threads the pool had at once. */
  synchronized int peakThreads() {
    return peakThreads;
  }

  private void startWorker() {
    int number;
    synchronized (this) {
      number = ++created;
      peakThreads = Math.max(peakThreads, threads);
    }
    Thread t = new Thread(this::work, namePrefix + number);
    t.setDaemon(true);
    synchronized (this) {
      workers.add(t);
    }
    t.start();
  }

  private void work() {
    LifecycleThreads.enter(owner);
    try {
      while (true) {
        Runnable task;
        synchronized (this) {
          long deadline = System.nanoTime() + KEEP_ALIVE_NANOS;
          while (queue.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
              threads--;
              return;
            }
            idle++;
            try {
              TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
              // A stale interrupt from a hook that timed out; the thread keeps serving.
            } finally {
              idle--;
              if (signalled > 0) {
                signalled--;
              }
            }
          }
          task = queue.pollFirst();
          taken++;
        }
        try {
          task.run();
        } catch (Throwable t) {
          // Tasks handle their own failures; an escaped one must not kill the worker.
          try {
            onUnexpected.accept(t);
          } catch (Throwable ignored) {
            // Nothing more can be done here; the worker keeps serving.
          }
        }
        Thread.interrupted();
      }
    } finally {
      synchronized (this) {
        workers.remove(Thread.currentThread());
      }
      LifecycleThreads.exit();
    }
  }
}

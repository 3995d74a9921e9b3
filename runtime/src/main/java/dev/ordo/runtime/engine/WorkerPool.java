package dev.ordo.runtime.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The threads of one application that run its lifecycle hooks.
 *
 * <p>Hooks block (they open connections and files), so the pool may grow to the parallelism the
 * graph allows, up to {@code ordo.startup.threads}, rather than to the number of cores. But a
 * thread costs far more to start than most hooks take, so the pool starts one thread when work
 * arrives and grows only when the drivers' looks ({@link #look}, every {@value #STALL_MICROS} µs
 * while work waits for a thread) see a reason:
 *
 * <ul>
 *   <li>no task was taken over two looks while workers wait inside their hooks (sleep, await,
 *       park): those hooks block, and a thread is added for each of them, up to the waiting tasks
 *       and the cap — so a hook that blocks never holds back a ready one for long;
 *   <li>work has been waiting over two looks while the pool has fewer threads than cores: the
 *       hooks compute, and one thread is added, so that quick hooks use no more threads than
 *       cores (and a graph that starts in a few microseconds, one);
 *   <li>nothing at all moved for 20 ms, whatever the workers show (I/O shows as RUNNABLE): one.
 * </ul>
 *
 * <p>A hook that passes its timeout may keep its thread forever; {@link #compensate()} lets the
 * pool add a thread in its place. Idle threads end after a second, and at once on
 * {@link #close}, which waits for them; a thread still inside a hook that overran its timeout
 * ends when the hook returns.
 *
 * <p>Threads: {@link #execute} from any thread (hooks' completions, timeouts, drivers); tasks
 * never run under the pool's monitor.
 */
final class WorkerPool implements Deadlines.StallWatch {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long STALL_MICROS = 100;
  private static final long STALL_NANOS = TimeUnit.MICROSECONDS.toNanos(STALL_MICROS);
  /** No progress at all for this long means the hooks block, even where no worker shows it. */
  private static final long SLOW_PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** Makes the workers, marked as the application's callback threads, and waits for them at close. */
  private final OwnedThreads threadFactory;
  private final Consumer<Throwable> onUnexpected;
  private final Runnable onBacklog;

  @GuardedBy("this") private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  @GuardedBy("this") private final ArrayList<Worker> workers = new ArrayList<>();
  @GuardedBy("this") private int maxThreads;
  @GuardedBy("this") private int threads;
  @GuardedBy("this") private int idle;
  @GuardedBy("this") private int signalled;
  /** Tasks taken by workers so far: the measure of progress. */
  @GuardedBy("this") private long taken;
  @GuardedBy("this") private long takenAtLastLook = -1;
  @GuardedBy("this") private long progressSeenAt;
  @GuardedBy("this") private boolean blockedAtLastLook;
  /** Looks in a row that found work waiting while the workers made progress. */
  @GuardedBy("this") private int busyLooks;
  @GuardedBy("this") private boolean closed;

  /** One worker thread and whether it runs a task now. */
  private static final class Worker {
    final Thread thread;
    /** Guarded by the pool. */
    boolean busy;

    Worker(Thread thread) {
      this.thread = thread;
    }
  }

  /**
   * @param owner the application whose callbacks run here ({@link dev.ordo.runtime.internal.LifecycleThreads})
   * @param onUnexpected told of anything a task lets escape: tasks handle the hooks' failures
   *     themselves, so an escaped throwable is a failure of the engine itself
   * @param onBacklog called (outside the monitor) when work starts to wait for a thread, so that
   *     the drivers begin to look for stalls
   */
  WorkerPool(String namePrefix, int maxThreads, Object owner, Consumer<Throwable> onUnexpected, Runnable onBacklog) {
    this.threadFactory = new OwnedThreads(namePrefix, owner);
    this.maxThreads = maxThreads;
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
      } else if (threads == 0) {
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

  @Override
  public long look(long now) {
    int add = 0;
    long next;
    synchronized (this) {
      if (queue.isEmpty() || threads >= maxThreads || idle > signalled || closed) {
        takenAtLastLook = -1;
        blockedAtLastLook = false;
        busyLooks = 0;
        return Nanos.NO_LIMIT;
      }
      int blocked = workersWaitingInHooks();
      boolean firstLook = takenAtLastLook == -1;
      if (taken != takenAtLastLook) {
        // Progress since the last look, yet work still waits: the hooks compute, and deserve a
        // thread per core. (No progress and nothing blocked: a thread not yet running, or one
        // preempted on a busy machine; another thread would not help.)
        if (!firstLook && threads < CORES && ++busyLooks >= 2) {
          add = 1; // two looks in a row found work waiting although the workers progress
        }
        progressSeenAt = now;
      } else if (blocked > 0 && blockedAtLastLook) {
        add = Math.min(Math.min(queue.size(), maxThreads - threads), blocked);
      } else if (now - progressSeenAt >= SLOW_PROGRESS_NANOS) {
        add = 1;
        progressSeenAt = now;
      }
      blockedAtLastLook = blocked > 0;
      takenAtLastLook = add > 0 ? -1 : taken; // after adding, look afresh
      if (add > 0) {
        blockedAtLastLook = false;
        busyLooks = 0;
      }
      threads += add;
      next = now + STALL_NANOS;
    }
    for (int i = 0; i < add; i++) {
      startWorker();
    }
    return next;
  }

  /** Busy workers parked or sleeping (not on a monitor: contention is progress). */
  @GuardedBy("this")
  private int workersWaitingInHooks() {
    int n = 0;
    for (Worker w : workers) {
      if (w.busy) {
        Thread.State st = w.thread.getState();
        if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
          n++;
        }
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
   * until {@code deadline} at most for them to be gone, so that none is left when the shutdown
   * returns; a thread held by a hook that overran its timeout is not waited for past it.
   */
  void close(long deadline) {
    synchronized (this) {
      closed = true;
      queue.clear();
      notifyAll();
    }
    threadFactory.awaitGone(deadline);
  }

  private void startWorker() {
    Thread t = threadFactory.newThread(this::work);
    synchronized (this) {
      workers.add(new Worker(t)); // before start(): the thread finds itself
    }
    t.start();
  }

  private void work() {
    Worker me;
    synchronized (this) {
      me = find(Thread.currentThread());
    }
    try {
      while (true) {
        Runnable task;
        synchronized (this) {
          me.busy = false;
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
          me.busy = true;
        }
        try {
          task.run();
        } catch (Throwable t) {
          // Tasks handle their own failures; an escaped one must not kill the worker.
          try {
            onUnexpected.accept(t);
          } catch (Throwable ignoredToo) {
            // Nothing more can be done here; the worker keeps serving.
          }
        }
        Thread.interrupted();
      }
    } finally {
      synchronized (this) {
        workers.remove(me);
      }
    }
  }

  @GuardedBy("this")
  private Worker find(Thread t) {
    for (Worker w : workers) {
      if (w.thread == t) {
        return w;
      }
    }
    throw new IllegalStateException("not a worker: " + t);
  }
}

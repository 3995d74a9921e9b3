package dev.ordo.runtime.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads of one application that run its lifecycle hooks.
 *
 * <p>Hooks block (they open connections and files), so the pool may grow to the parallelism the
 * graph allows, up to {@code ordo.startup.threads}, rather than to the number of cores. But a
 * thread costs far more to start than most hooks take, so the pool starts one thread when work
 * arrives (one per core at once for a batch of hundreds of ready hooks, which keeps them busy
 * longer than starting them costs) and grows only when the drivers' looks ({@link #look}, every
 * {@value #STALL_MICROS} µs while work waits for a thread) see a reason:
 *
 * <ul>
 *   <li>no hook ended since the last look, and workers waited inside the same hook (sleep, await,
 *       park) at that look and at this one: those hooks block, and the pool doubles, up to the
 *       waiting work and the cap, at every look while that lasts — so a hook that blocks never
 *       holds back a ready one for long (a worker seen waiting for the first time brings the next
 *       look forward, to confirm it sooner);
 *   <li>work has been waiting over two looks while hooks ended and the pool has fewer threads
 *       than cores: the hooks compute, and one thread is added if what waits would keep the
 *       threads busy for more than a millisecond at their pace, so that quick hooks use no more
 *       threads than cores (and a graph that starts in well under a millisecond, one);
 *   <li>nothing at all moved for 20 ms, whatever the workers show (I/O shows as RUNNABLE): one;
 *       not counting time the driver itself was held back (a look over 2 ms later than it asked
 *       to be: a garbage collection), nor while the machine has more runnable threads than cores
 *       (Linux), which holds back quick hooks too and which another thread would not cure.
 * </ul>
 *
 * <p>While as many threads as cores compute and progress, a look can add nothing, and the next
 * one comes later each time (up to eight times {@value #STALL_MICROS} µs). Threads added together
 * are started as a tree ({@link #startWorkers}): the thread that decided starts one, which starts
 * half of the rest and so on, so that creating twenty threads takes about five thread starts of
 * time, spread over the cores, rather than twenty on the driver.
 *
 * <p>A hook that passes its timeout may keep its thread forever; {@link #compensate()} lets the
 * pool add a thread in its place. Idle threads end after a second, and at once on
 * {@link #close}, which waits for them; a thread still inside a hook that overran its timeout
 * ends when the hook returns.
 *
 * <p>Many ready hooks are handed to the pool as one {@link Batch} (a startup's roots, a stop
 * phase's leaves, the dependents one component released): a worker claims one item at a time and,
 * while items remain, puts the batch back into the queue before it runs the item, so that a hook
 * which blocks holds back nothing while the cap allows another thread. Progress is counted per hook
 * that ends ({@link #progressed()}), not per task, since a worker runs many hooks per task.
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
  /**
   * A look this much later than it asked to be shows a machine that did not run the driver (a
   * garbage collection, or more runnable threads than cores): the workers were likely held back
   * alike, so the time since the last progress starts again rather than count against them.
   */
  private static final long LATE_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());
  /**
   * Ready hooks per thread that a batch must bring for the pool to start threads for it at once
   * (up to one per core): below that, a second thread costs more to start than it saves.
   */
  static final int EAGER_BATCH_PER_THREAD = 256;
  /**
   * Work that computes gets one more thread (up to one per core) only when what waits would keep
   * the threads busy for longer than this at their pace: a thread takes about a tenth of it to
   * start and to end.
   */
  private static final long WORTH_A_THREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final java.lang.invoke.VarHandle RAN;
  private static final java.lang.invoke.VarHandle COUNTED;

  static {
    try {
      RAN = java.lang.invoke.MethodHandles.lookup().findVarHandle(WorkerThread.class, "ran", long.class);
      COUNTED = java.lang.invoke.MethodHandles.lookup().findVarHandle(WorkerThread.class, "counted", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes the workers, marked as the application's callback threads, and waits for them at close. */
  private final OwnedThreads threadFactory;
  private final Consumer<Throwable> onUnexpected;
  private final Runnable onBacklog;

  @GuardedBy("this") private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  @GuardedBy("this") private final ArrayList<WorkerThread> workers = new ArrayList<>();
  @GuardedBy("this") private int maxThreads;
  @GuardedBy("this") private int threads;
  @GuardedBy("this") private int idle;
  @GuardedBy("this") private int signalled;
  /**
   * Tasks that ended so far; with the items and inline hooks the workers ended
   * ({@link WorkerThread#ran}), the measure of progress: a hook that began is no progress, one
   * that ended is.
   */
  @GuardedBy("this") private long taken;
  @GuardedBy("this") private long takenAtLastLook = -1;
  @GuardedBy("this") private long progressSeenAt;
  /** When the last look was made. */
  @GuardedBy("this") private long lastLookAt;
  /** When the last look asked for the next one (0: it asked for none). */
  @GuardedBy("this") private long lookDueAt;
  /** Threads added whose first look at the queue is still to come. */
  @GuardedBy("this") private int starting;
  /** Set within one look: its threads were added for blocked hooks. */
  @GuardedBy("this") private boolean blockedGrowth;
  /** Looks in a row that found work waiting while the workers made progress. */
  @GuardedBy("this") private int busyLooks;
  @GuardedBy("this") private boolean closed;
  /** The last phase's hooks have ended: idle threads end at once rather than after their keep-alive. */
  @GuardedBy("this") private boolean retiring;
  /** {@link #closed}, for batches to read without the monitor: what they have not handed out is dropped. */
  private volatile boolean closing;
  /**
   * Threads being started now ({@link #startWorker}): {@link #close} waits until none is, so that
   * a thread started concurrently with it is among those it waits for.
   */
  @GuardedBy("this") private int spawning;
  /**
   * Looks in a row that found the workers computing, progressing and as many as the cores: nothing
   * a look could add. The next look comes later each time (up to {@value #CALM_LOOKS_MAX} doublings
   * of {@link #STALL_MICROS}), so that a long run of quick hooks is not interrupted every
   * {@value #STALL_MICROS} µs by a driver that has nothing to do; any other finding resets it.
   */
  @GuardedBy("this") private int calmLooks;
  private static final int CALM_LOOKS_MAX = 3;
  /** What workers that have ended had counted ({@link #countHere}). */
  @GuardedBy("this") private long countedByGone;
  /** Asked whenever a worker finds nothing to do, until it answers true: see {@link #whenIdle}. */
  @GuardedBy("this") private java.util.function.LongPredicate allCounted;

  /** One worker thread, whether it runs a task now, and how many hooks it ran. */
  static final class WorkerThread extends Thread {
    /** Guarded by the pool. */
    boolean busy;
    /**
     * Hooks ended on this thread; written only by it ({@link #progressed()}), read by the drivers'
     * looks (a heuristic: a look only compares it with the last one). Opaque accesses: no fence
     * on the worker's path, and the looks still see it move.
     */
    private long ran;
    /** Where the deadline of the hook this thread runs is kept ({@link Deadlines#schedule}); only this thread uses the field. */
    Deadlines.Slot slot;
    /**
     * Threads this one starts before it first looks at the queue ({@link #startWorkers}): set by the
     * thread that starts it, before {@link Thread#start()}, and read only by this thread after.
     */
    int alsoStart;
    /** Tasks this thread took so far; guarded by the pool. */
    long tasks;
    /**
     * What this thread counted for the pool's client ({@link #countHere}): written only by this
     * thread, without a fence; read under the pool's monitor by {@link #counted}.
     */
    private long counted;
    /**
     * What the last look saw of this thread (guarded by the pool): whether it waited inside a hook,
     * and which hook (its tasks taken plus its hooks ended, {@link #position}).
     */
    boolean seenWaiting;
    long seenAt = -1;

    /** The pool this thread works for. */
    final WorkerPool pool;

    WorkerThread(Runnable r, String name, WorkerPool pool) {
      super(r, name);
      this.pool = pool;
    }
  }

  /**
   * A hook ended on this thread: counted as progress when it is one of the pool's workers. Called
   * by whoever runs hooks without taking a task for each ({@link Batch}, a dependent run inline).
   */
  static void progressed() {
    Thread t = Thread.currentThread();
    if (t instanceof WorkerThread) {
      WorkerThread w = (WorkerThread) t;
      RAN.setOpaque(w, w.ran + 1); // single writer: the thread itself
    }
  }

  /**
   * Counts one event (a settled start) on this thread's own counter, when this thread is one of
   * this pool's workers: no shared cache line written per event, which is what a counter that
   * every worker writes costs. Returns false otherwise (the caller counts elsewhere). Only the
   * sum {@link #counted} is ever read, under the monitor; the worker's count reaches it at the
   * latest when the worker next finds nothing to do ({@link #whenIdle}), which it always does once
   * its hooks end.
   */
  boolean countHere() {
    Thread t = Thread.currentThread();
    if (t instanceof WorkerThread && ((WorkerThread) t).pool == this) {
      WorkerThread w = (WorkerThread) t;
      COUNTED.setOpaque(w, w.counted + 1); // single writer: the thread itself
      return true;
    }
    return false;
  }

  /**
   * The sum of {@link #countHere}: what every worker counted, alive or gone. Exact for a worker
   * that has since taken the monitor (found nothing to do, or took a task); a worker's latest
   * counts may show late otherwise. Takes the monitor: for checks, not for every event.
   */
  synchronized long counted() {
    return countedLocked();
  }

  @GuardedBy("this")
  private long countedLocked() {
    long n = countedByGone;
    for (WorkerThread w : workers) {
      n += (long) COUNTED.getOpaque(w);
    }
    return n;
  }

  /**
   * From now on, whenever a worker finds the queue empty (before it waits or ends; the moment
   * its counts are all in {@link #counted}), {@code allCounted} is asked, under the monitor, with
   * that sum; once it answers true, the drivers are woken ({@code onBacklog}, which only unparks)
   * and it is asked no more. Set by the startup's thread before it hands over work.
   */
  synchronized void whenIdle(java.util.function.LongPredicate allCounted) {
    this.allCounted = allCounted;
  }

  /**
   * Ready work handed out one item at a time: see the class comment. Runs only on the pool's
   * workers. A batch is a range of items with one drainer, which claims them in order with an
   * uncontended compare-and-set on the batch's own range; a worker that takes a batch someone
   * already drains steals the upper half of what is left into a batch of its own, so that workers
   * drain disjoint ranges (no claim, and no cache line of neighbouring components, shared between
   * them) and the queue is touched a logarithmic number of times. Before each item's hook the
   * drainer puts its batch back into the queue if it is not there, so that if the hook blocks,
   * the rest is there for another thread: nothing waits on a blocked hook while the cap allows a
   * thread.
   */
  static final class Batch implements Runnable {
    private final WorkerPool pool;
    private final java.util.function.IntConsumer items;
    /** The next item (low 32 bits) and the end of the range (high 32 bits). */
    private final java.util.concurrent.atomic.AtomicLong range;
    /** In the pool's queue now (at most once). */
    private final AtomicBoolean queued = new AtomicBoolean(true);
    /** Some worker drains this batch; another one that takes it steals half instead. */
    private final AtomicBoolean drained = new AtomicBoolean();

    /**
     * A batch of items {@code 0 .. size - 1}, each run by {@code items} (which handles its own
     * failures); give it to {@link WorkerPool#execute} once.
     */
    Batch(WorkerPool pool, int size, java.util.function.IntConsumer items) {
      this(pool, items, 0, size);
    }

    private Batch(WorkerPool pool, java.util.function.IntConsumer items, int from, int to) {
      this.pool = pool;
      this.items = items;
      this.range = new java.util.concurrent.atomic.AtomicLong(pack(from, to));
    }

    private static long pack(int next, int end) {
      return ((long) end << 32) | (next & 0xFFFFFFFFL);
    }

    private static int next(long r) {
      return (int) r;
    }

    private static int end(long r) {
      return (int) (r >>> 32);
    }

    /** Items not claimed yet. */
    int remaining() {
      long r = range.get();
      return Math.max(0, end(r) - next(r));
    }

    /** Claims the next item, or -1 when none is left. */
    private int claim() {
      while (true) {
        long r = range.get();
        int n = next(r);
        int e = end(r);
        if (n >= e) {
          return -1;
        }
        if (range.compareAndSet(r, pack(n + 1, e))) {
          return n;
        }
      }
    }

    /** Takes the upper half of what is left (all of it if one item is left) as a batch of its own, or null. */
    private Batch split() {
      while (true) {
        long r = range.get();
        int n = next(r);
        int e = end(r);
        if (n >= e) {
          return null;
        }
        int mid = n + (e - n) / 2;
        if (range.compareAndSet(r, pack(n, mid))) {
          return new Batch(pool, items, mid, e);
        }
      }
    }

    /** Puts this batch back into the queue unless it is there or has nothing left. */
    private void offer() {
      if (!queued.get() && remaining() > 0 && queued.compareAndSet(false, true)) {
        pool.execute(this);
      }
    }

    @Override
    public void run() {
      queued.set(false); // taken from the queue
      if (drained.compareAndSet(false, true)) {
        if (remaining() > 1) {
          Batch upper = split(); // for another thread, at once
          if (upper != null) {
            pool.execute(upper);
          }
        }
        drain();
      } else {
        // Someone drains this one (or is blocked in one of its hooks): half of what is left
        // becomes this thread's, and the rest goes back to the queue for the next thread.
        Batch mine = split();
        offer();
        if (mine != null) {
          mine.queued.set(false);
          mine.drained.set(true);
          mine.drain();
        }
      }
    }

    private void drain() {
      while (!pool.closing) {
        int k = claim();
        if (k < 0) {
          return;
        }
        offer(); // the rest is ready for another thread before this item's hook runs
        try {
          items.accept(k);
        } catch (Throwable t) {
          pool.unexpected(t);
        }
        progressed(); // an item ended
      }
    }
  }


  /**
   * @param owner the application whose callbacks run here ({@link dev.ordo.runtime.internal.LifecycleThreads})
   * @param onUnexpected told of anything a task lets escape: tasks handle the hooks' failures
   *     themselves, so an escaped throwable is a failure of the engine itself
   * @param onBacklog wakes the drivers: called (outside the monitor) when work starts to wait for
   *     a thread, so that they begin to look for stalls, and (under it) when {@link #whenIdle}'s
   *     count is complete; it must only unpark them
   */
  WorkerPool(String namePrefix, int maxThreads, Object owner, Consumer<Throwable> onUnexpected, Runnable onBacklog) {
    this.threadFactory = new OwnedThreads(namePrefix, owner);
    this.maxThreads = maxThreads;
    this.onUnexpected = onUnexpected;
    this.onBacklog = onBacklog;
  }

  void execute(Runnable task) {
    int spawn = 0;
    boolean backlog = false;
    synchronized (this) {
      queue.addLast(task);
      if (idle > signalled) {
        signalled++;
        notify();
      } else if (threads == 0) {
        threads++;
        spawn = 1;
      } else if (threads < maxThreads && queue.size() == 1) {
        backlog = true;
      }
      if (task instanceof Batch && !closed) {
        // Hundreds of hooks ready at once keep a thread per core busy for longer than starting
        // one costs: the threads that the looks would add after two of them are started now.
        int wanted = Math.min(Math.min(CORES, maxThreads), ((Batch) task).remaining() / EAGER_BATCH_PER_THREAD);
        int more = wanted - threads - (idle - signalled);
        if (more > 0) {
          threads += more;
          spawn += more;
        }
      }
    }
    startWorkers(spawn);
    if (backlog) {
      onBacklog.run();
    }
  }

  /**
   * Called by the drivers ({@link Deadlines#drive}: the thread in {@code start()}, the shutdown's
   * thread) while work waits for a thread; never blocks (the monitor is held only to count), and
   * starts the threads it adds after leaving it, one of which starts the rest ({@link #startWorkers}).
   */
  @Override
  public long look(long now) {
    int add = 0;
    long next;
    synchronized (this) {
      if (queue.isEmpty() || threads >= maxThreads || idle > signalled || closed) {
        takenAtLastLook = -1;
        busyLooks = 0;
        calmLooks = 0;
        lookDueAt = 0;
        return Nanos.NO_LIMIT;
      }
      if (lookDueAt != 0 && now - lookDueAt > LATE_LOOK_NANOS) {
        progressSeenAt = now; // the machine held this driver back: no evidence against the workers
      }
      // Which busy workers wait inside a hook (sleep, await, park; not on a monitor: contention is
      // progress), and which of them did so at the last look already, inside the same hook: those
      // block (a hook that merely paused between two computations is rarely caught twice).
      int waiting = 0;
      int stuck = 0;
      for (WorkerThread w : workers) {
        boolean waitingNow = false;
        long at = -1;
        if (w.busy) {
          Thread.State st = w.getState();
          waitingNow = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
          at = position(w);
          if (waitingNow) {
            waiting++;
            if (w.seenWaiting && w.seenAt == at) {
              stuck++;
            }
          }
        }
        w.seenWaiting = waitingNow;
        w.seenAt = at;
      }
      boolean firstLook = takenAtLastLook == -1;
      long progress = progress();
      long interval = STALL_NANOS;
      if (progress != takenAtLastLook) {
        // Progress since the last look, yet work still waits: the hooks compute, and deserve a
        // thread per core when what waits would keep the threads busy for longer than starting
        // one is worth (at the pace of the last look). (No progress and nothing blocked: a thread
        // not yet running, or one preempted on a busy machine; another thread would not help.)
        if (!firstLook && threads < CORES) {
          long ended = progress - takenAtLastLook;
          long elapsed = Math.max(1, now - lastLookAt);
          double drainNanos = (double) waitingItems() * elapsed / Math.max(1, ended) / threads;
          if (drainNanos > WORTH_A_THREAD_NANOS && ++busyLooks >= 1) {
            add = 1;
          }
        } else if (!firstLook && waiting == 0) {
          // As many computing threads as cores, all progressing: nothing to add until that
          // changes, so the next look may come later (a hook that blocks from now on is seen
          // at most a few hundred microseconds later).
          calmLooks = Math.min(calmLooks + 1, CALM_LOOKS_MAX);
          interval = STALL_NANOS << calmLooks;
        }
        progressSeenAt = now;
      } else if (stuck > 0) {
        // No hook ended since the last look, and workers waited inside the same hook then and
        // now: the hooks block. The pool doubles (up to the work not already promised to threads
        // still starting, and the cap), at every look while that lasts, so that twenty blocked
        // roots have their threads after a handful of looks rather than one thread per look.
        long free = waitingItems() - starting;
        add = (int) Math.max(0, Math.min(Math.min(free, maxThreads - threads), threads));
        blockedGrowth = add > 0;
      } else if (now - progressSeenAt >= SLOW_PROGRESS_NANOS) {
        // Workers that show RUNNABLE yet end nothing for this long wait for I/O, unless the
        // machine has more runnable threads than cores: then they may just not have been run
        // (another thread would not help, and quick hooks must not grow past the cores).
        if (!machineOversubscribed()) {
          add = 1;
        }
        progressSeenAt = now;
      }
      if (interval == STALL_NANOS) {
        calmLooks = 0;
        if (add == 0 && waiting > stuck) {
          interval = STALL_NANOS / 2; // a worker seen waiting for the first time: look again soon
        }
      }
      takenAtLastLook = add > 0 && !blockedGrowth ? -1 : progress; // after adding (but for blocked hooks), look afresh
      if (add > 0) {
        busyLooks = 0;
      }
      blockedGrowth = false;
      lastLookAt = now;
      threads += add;
      starting += add;
      next = now + interval;
      lookDueAt = next;
    }
    startWorkers(add);
    return next;
  }

  private static final java.nio.file.Path LOAD = java.nio.file.Path.of("/proc/loadavg");

  /**
   * Whether the machine has more threads runnable right now than it has cores (Linux:
   * {@code /proc/loadavg}, whose fourth field counts them; read from memory, never blocks).
   * False where that cannot be read: then the slow-progress rule applies as it is.
   */
  private static boolean machineOversubscribed() {
    try {
      String[] fields = new String(java.nio.file.Files.readAllBytes(LOAD),
          java.nio.charset.StandardCharsets.US_ASCII).trim().split(" ");
      String runnable = fields[3];
      return Integer.parseInt(runnable.substring(0, runnable.indexOf('/'))) > CORES;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /** Tasks taken plus hooks run: changes whenever a worker moved on. */
  @GuardedBy("this")
  private long progress() {
    long p = taken;
    for (WorkerThread w : workers) {
      p += (long) RAN.getOpaque(w);
    }
    return p & Long.MAX_VALUE; // never -1, the "no look yet" mark
  }

  /** Hooks waiting for a thread: each queued task, or what is left of a queued batch. */
  @GuardedBy("this")
  private long waitingItems() {
    long n = 0;
    for (Runnable r : queue) {
      n += r instanceof Batch ? Math.max(1, ((Batch) r).remaining()) : 1;
    }
    return n;
  }

  /** Where a worker is: the tasks it took plus the hooks it ended; the same at two looks means the same hook. */
  @GuardedBy("this")
  private static long position(WorkerThread w) {
    return w.tasks + (long) RAN.getOpaque(w);
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
      startWorkers(1);
    }
  }

  /**
   * The stop phase's hooks have all ended: threads that find nothing to do end at once from now on
   * (a task that still comes, such as the stop of a start that completed late, is run on a thread
   * started for it), so that they are gone, or going, by the time {@link #close} waits for them.
   * Called on the worker that ended the last stop; never blocks.
   */
  void retireIdle() {
    synchronized (this) {
      retiring = true;
      notifyAll();
    }
  }

  /**
   * Idle threads end now, busy ones when their task ends (tasks still queued are run first);
   * waits until {@code deadline} at most for them to be gone. For the end of a stop phase: a hook
   * that its own timeout cut usually ends within moments once interrupted, and what it reports
   * then (a resource's forced close) still reaches the events. Called by the shutdown's thread.
   */
  void retire(long deadline) {
    retireIdle();
    threadFactory.awaitGone(deadline);
  }

  /**
   * Idle threads end now, busy ones when their task ends; tasks still queued are dropped. Waits
   * until {@code deadline} at most for them to be gone, so that none is left when the shutdown
   * returns; a thread held by a hook that overran its timeout is not waited for past it.
   */
  void close(long deadline) {
    boolean interrupted = false;
    synchronized (this) {
      closed = true;
      closing = true;
      queue.clear();
      notifyAll();
      // A thread being started now (by a driver's look, or by a worker starting others) is
      // started before the count drops, so once it is zero every thread of the pool is known to
      // the factory and started: awaitGone() below waits for all of them. Each start takes
      // moments and never waits for anything of the pool's.
      while (spawning > 0) {
        long left = Nanos.left(deadline, System.nanoTime());
        if (left == 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left == Nanos.NO_LIMIT ? KEEP_ALIVE_NANOS : left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    threadFactory.awaitGone(deadline);
  }

  /**
   * Starts {@code k} threads, already counted in {@link #threads}: one from here, which starts the
   * others before it first looks at the queue, handing half of those still to start to each
   * thread it starts. Threads are thus created on several threads at once (a tree of depth about
   * log2 k) rather than one after another on the caller, which is a driver (the thread in
   * {@code start()} or the shutdown's, whose next look waits meanwhile) or the thread that
   * handed over work.
   */
  private void startWorkers(int k) {
    if (k > 0) {
      startWorker(k - 1);
    }
  }

  /**
   * Starts one thread, which will start {@code alsoStart} more; once the pool is closed, starts
   * none and uncounts them. Called by any thread, outside the monitor; never waits for the pool.
   */
  private void startWorker(int alsoStart) {
    synchronized (this) {
      if (closed) {
        threads -= 1 + alsoStart;
        return;
      }
      spawning++;
    }
    try {
      WorkerThread t = threadFactory.newThread(this::work, (r, name) -> new WorkerThread(r, name, this));
      t.alsoStart = alsoStart;
      synchronized (this) {
        workers.add(t); // before start(): the look counts it
      }
      t.start();
    } finally {
      synchronized (this) {
        if (--spawning == 0 && closed) {
          notifyAll(); // close() waits for this
        }
      }
    }
  }

  /** A throwable escaped a task (or an item of a batch): a failure of the engine itself. */
  private void unexpected(Throwable t) {
    try {
      onUnexpected.accept(t);
    } catch (Throwable ignoredToo) {
      // Nothing more can be done here; the worker keeps serving.
    }
  }

  private void work() {
    WorkerThread me = (WorkerThread) Thread.currentThread();
    // The threads this one was asked to start come first: half of those left to each, so that
    // they too start others at once.
    for (int left = me.alsoStart; left > 0; ) {
      int theirs = (left - 1) / 2;
      try {
        startWorker(theirs);
      } catch (Throwable t) {
        // No thread could be made (out of memory or native threads): the pool carries on with
        // those it has, and the engine hears of it.
        synchronized (this) {
          threads -= left;
        }
        unexpected(t);
        break;
      }
      left -= 1 + theirs;
    }
    synchronized (this) {
      if (starting > 0) {
        starting--;
      }
    }
    try {
      boolean taskEnded = false;
      while (true) {
        Runnable task;
        synchronized (this) {
          if (taskEnded) {
            taken++; // a task ended: progress (a batch's progress is its items', counted as they end)
          }
          me.busy = false;
          long deadline = System.nanoTime() + KEEP_ALIVE_NANOS;
          if (queue.isEmpty() && allCounted != null && allCounted.test(countedLocked())) {
            allCounted = null;
            onBacklog.run(); // wakes the drivers: only unparks them
          }
          while (queue.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed || retiring) {
              threads--;
              countedByGone += me.counted; // before it leaves the list that counted() sums
              workers.remove(me);
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
          me.busy = true;
          me.tasks++;
        }
        taskEnded = !(task instanceof Batch); // after run(): a batch that ran no item is no progress
        try {
          task.run();
        } catch (Throwable t) {
          // Tasks handle their own failures; an escaped one must not kill the worker.
          unexpected(t);
        }
        Thread.interrupted();
      }
    } finally {
      synchronized (this) {
        if (workers.remove(me)) { // not removed above: it ends by an escaped throwable
          countedByGone += me.counted;
        }
      }
      if (me.slot != null) {
        me.slot.owner().retire(me.slot);
      }
    }
  }

}

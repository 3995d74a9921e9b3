package dev.ordo.runtime;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the units of work in flight (requests, messages, jobs) so that a shutdown can wait for
 * them. Code wraps each unit of work in a ticket:
 *
 * <pre>{@code
 * try (RequestTracker.Ticket ticket = app.requestTracker().enter()) {
 *   handle(request);
 * } catch (RequestRejectedException draining) {
 *   respond(503);   // with "Connection: close": this instance is going away
 * }
 * }</pre>
 *
 * <p>Work that waits in a queue before it is handled — requests behind busy handler threads — is
 * counted from the moment it is accepted when it is handed over through {@link #executor}: a
 * shutdown then waits for it too, instead of refusing it when a thread finally picks it up. For the
 * JDK's {@code HttpServer}, {@link dev.ordo.runtime.http.HttpServerTracking} does this and answers
 * the exchanges refused while draining.
 *
 * <p>When the application starts draining, new work is refused with a
 * {@link RequestRejectedException} while work already in flight completes; the drain ends as soon
 * as the count reaches zero. During the pre-stop delay that comes first
 * ({@code ordo.shutdown.delay}), work is still accepted. Entering and leaving take no lock: the
 * count is a {@link LongAdder}, which spreads contended updates over cells, and draining is a
 * volatile flag read after the increment, so either the new work sees the flag or the drain sees
 * the work.
 *
 * @since 0.1
 */
public final class RequestTracker {
  private final LongAdder inFlight = new LongAdder();
  private volatile boolean draining;
  private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

  /**
   * Creates a tracker. Components that handle work usually need it before the application is
   * built: create it first, give it to them, and to {@link Ordo.Builder#requestTracker}.
   */
  public RequestTracker() {}

  /**
   * A unit of work in flight; closing it leaves the tracker. Closing is atomic and idempotent:
   * however many threads close one ticket, however often, it leaves exactly once.
   */
  public final class Ticket implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Ticket() {}

    /** Leaves the tracker (the first call only). */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        leave();
      }
    }
  }

  /**
   * Enters one unit of work.
   *
   * @throws RequestRejectedException if the application is draining or stopped
   */
  public Ticket enter() {
    Ticket t = tryEnter();
    if (t == null) {
      throw new RequestRejectedException();
    }
    return t;
  }

  /** Enters one unit of work, or returns {@code null} if the application is draining or stopped. */
  public Ticket tryEnter() {
    inFlight.increment();
    if (draining) {
      leave();
      return null;
    }
    return new Ticket();
  }

  /** Runs {@code work} as one tracked unit. */
  public void run(Runnable work) {
    Ticket ticket = enter();
    try {
      work.run();
    } finally {
      ticket.close();
    }
  }

  /** Calls {@code work} as one tracked unit and returns its result. */
  public <T> T call(Callable<T> work) throws Exception {
    Ticket ticket = enter();
    try {
      return work.call();
    } finally {
      ticket.close();
    }
  }

  /**
   * Returns an executor that counts each task in flight from the moment it is handed to
   * {@code execute} until it ends, and runs it on {@code delegate}. Use it where work enters the
   * application — the executor that a server hands accepted requests to, a message listener's —
   * so that work still waiting in the delegate's queue is in flight too, and a shutdown waits for
   * it:
   *
   * <pre>{@code
   * ExecutorService workers = Executors.newFixedThreadPool(32);
   * Executor accepted = tracker.executor(workers);
   * accepted.execute(() -> handle(message));   // in flight from here, queued or running
   * }</pre>
   *
   * <ul>
   *   <li>A task handed over before draining began is counted and runs, however long it waits in
   *       the queue, and the drain waits for it.
   *   <li>A task handed over after draining began is refused: {@code execute} throws a
   *       {@link RequestRejectedException}, which is a {@link RejectedExecutionException}, and the
   *       delegate never sees the task. An {@code execute} that races the start of the drain
   *       either counts the task and hands it over, or refuses it.
   *   <li>A task leaves when it returns or throws.
   *   <li>When the delegate refuses the task (its {@code execute} throws, such as a pool that was
   *       shut down or whose queue is full), the task leaves at once and the exception reaches the
   *       caller of {@code execute}.
   * </ul>
   *
   * <p>A task stays counted until it has run, so the delegate must run what it accepts: tasks it
   * discards silently ({@code ThreadPoolExecutor.DiscardPolicy}, or those that
   * {@code shutdownNow()} returns) stay in flight until the drain's timeout. Work that a task in
   * flight hands on is refused too while draining if it goes through this executor: give such
   * follow-up work an executor of its own, and let the task wait for it.
   *
   * @param delegate runs the tasks; its threads run the task's code, never under a lock of Ordo's
   * @return an executor that counts each task, then hands it to {@code delegate}
   * @since 0.1
   */
  public Executor executor(Executor delegate) {
    return new CountingExecutor(this, Objects.requireNonNull(delegate, "delegate"));
  }

  /**
   * Counts a task from {@code execute} until it ends. {@code execute} runs on whatever thread
   * submits (for a server, the thread that accepts connections) and takes no lock; a delegate that
   * blocks there (a caller-runs policy, a bounded hand-off) blocks only that caller, as it would
   * without this wrapper.
   */
  private static final class CountingExecutor implements Executor {
    private final RequestTracker tracker;
    private final Executor delegate;

    CountingExecutor(RequestTracker tracker, Executor delegate) {
      this.tracker = tracker;
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      Objects.requireNonNull(task, "task");
      Ticket ticket = tracker.enter();
      try {
        delegate.execute(new CountedTask(ticket, task));
      } catch (Throwable e) {
        // Refused by the delegate (or, for a delegate that runs tasks on the caller's thread, the
        // task threw): either way it is no longer in flight. A ticket leaves once, however often
        // it is closed.
        ticket.close();
        throw e;
      }
    }

    @Override
    public String toString() {
      return "RequestTracker.executor(" + delegate + ")";
    }
  }

  /** A task with its ticket, which it closes when it ends however it ends. */
  private static final class CountedTask implements Runnable {
    private final Ticket ticket;
    private final Runnable task;

    CountedTask(Ticket ticket, Runnable task) {
      this.ticket = ticket;
      this.task = task;
    }

    @Override
    public void run() {
      try {
        task.run();
      } finally {
        ticket.close();
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  private void leave() {
    inFlight.decrement();
    if (draining) {
      for (Thread w : waiters) {
        LockSupport.unpark(w);
      }
    }
  }

  /** The number of units of work in flight now. */
  public long inFlight() {
    return Math.max(0, inFlight.sum());
  }

  /** Whether new work is refused. */
  public boolean isDraining() {
    return draining;
  }

  /** Refuses new work from now on. */
  void startDraining() {
    draining = true;
  }

  /**
   * Waits until no work is in flight or the {@link System#nanoTime()} {@code deadline} passed
   * ({@code Long.MAX_VALUE}: no limit), whichever is first; returns the count left in flight (0
   * when the drain completed). Called after {@link #startDraining()}; an interrupt does not end the
   * wait (a shutdown must finish) but is restored on return.
   */
  long awaitDrained(long deadline) {
    Thread me = Thread.currentThread();
    // Registered before the first look: a leave() after the look unparks us, and an unpark that
    // comes before the park makes the park return at once, so no wake-up is lost.
    waiters.add(me);
    boolean interrupted = false;
    try {
      long left;
      while ((left = inFlight()) > 0) {
        if (deadline == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return left;
          }
          LockSupport.parkNanos(this, remaining);
        }
        interrupted |= Thread.interrupted();
      }
      return 0;
    } finally {
      waiters.remove(me);
      if (interrupted) {
        me.interrupt();
      }
    }
  }
}

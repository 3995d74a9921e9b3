package dev.ordo.runtime.engine;

import dev.ordo.runtime.LifecycleListener;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers notifications to an application's listeners: each listener has its own serial queue,
 * drained on a thread of this object's own, never on a thread of the engine and never under a
 * lock of the engine (the model is Guava's {@code ListenerCallQueue}).
 *
 * <ul>
 *   <li>{@link #enqueue} only appends to the queues: the engine calls it wherever it decides a
 *       change, in the order of the changes, and it never blocks or calls a listener;
 *   <li>each listener hears its notifications in that order, one at a time;
 *   <li>a listener that throws (anything, {@link Error}s included) is logged and hears the next
 *       notification; one that blocks delays only itself;
 *   <li>{@link #awaitDelivered} lets the shutdown wait — within its budget — until every listener
 *       heard everything, so that the application's final state is the last thing each hears
 *       before {@code stop()} returns.
 * </ul>
 *
 * <p>Threads are started only while a listener has something to hear, and end a second after
 * their queue emptied, or at once after {@link #close()}.
 */
final class ListenerQueues {
  private static final long KEEP_ALIVE_SECONDS = 1;

  private final CopyOnWriteArrayList<Queue> queues = new CopyOnWriteArrayList<>();
  private final Object executorLock = new Object();
  @GuardedBy("executorLock") private ThreadPoolExecutor executor;
  @GuardedBy("executorLock") private boolean closed;
  private final OwnedThreads threads;

  ListenerQueues(String threadPrefix, Object owner) {
    this.threads = new OwnedThreads(threadPrefix, owner);
  }

  void add(LifecycleListener listener) {
    queues.add(new Queue(listener));
  }

  boolean isEmpty() {
    return queues.isEmpty();
  }

  /** Appends {@code call} to every listener's queue. */
  void enqueue(Consumer<LifecycleListener> call) {
    for (Queue q : queues) {
      q.add(call);
    }
  }

  /**
   * Waits until every queue is empty and idle, or {@code deadline} ({@link System#nanoTime()},
   * {@link Nanos#NO_LIMIT} for none); true if everything was delivered. Interrupts are remembered
   * and restored, not obeyed: the shutdown must finish.
   */
  boolean awaitDelivered(long deadline) {
    boolean interrupted = false;
    try {
      for (Queue q : queues) {
        synchronized (q) {
          while (q.running || !q.pending.isEmpty()) {
            long left = Nanos.left(deadline, System.nanoTime());
            if (left == 0) {
              return false;
            }
            try {
              if (left == Nanos.NO_LIMIT) {
                q.wait();
              } else {
                TimeUnit.NANOSECONDS.timedWait(q, left);
              }
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Idle delivery threads end now, busy ones after their current notification; waits until
   * {@code deadline} at most for them to be gone.
   */
  void close(long deadline) {
    ThreadPoolExecutor e;
    synchronized (executorLock) {
      closed = true;
      e = executor;
      if (e != null) {
        e.shutdown();
      }
    }
    threads.awaitGone(deadline);
  }

  private void schedule(Queue q) {
    synchronized (executorLock) {
      if (executor == null) {
        executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
            new SynchronousQueue<>(), threads);
      }
      if (!closed) {
        executor.execute(q);
        return;
      }
    }
    // Closed (the application's end was delivered or given up on): one last thread of its own,
    // so that nothing enqueued is silently dropped; it ends with the queue.
    threads.newThread(q).start();
  }

  /** One listener's queue; runs as its own drain task. */
  private final class Queue implements Runnable {
    private final LifecycleListener listener;
    @GuardedBy("this") private final ArrayDeque<Consumer<LifecycleListener>> pending = new ArrayDeque<>();
    @GuardedBy("this") private boolean running;

    Queue(LifecycleListener listener) {
      this.listener = listener;
    }

    void add(Consumer<LifecycleListener> call) {
      boolean start;
      synchronized (this) {
        pending.addLast(call);
        start = !running;
        running = true;
      }
      if (start) {
        schedule(this);
      }
    }

    @Override
    public void run() {
      while (true) {
        Consumer<LifecycleListener> call;
        synchronized (this) {
          call = pending.pollFirst();
          if (call == null) {
            running = false;
            notifyAll();
            return;
          }
        }
        try {
          call.accept(listener);
        } catch (Throwable t) {
          Engine.LOG.log(System.Logger.Level.WARNING, "Listener " + listener + " failed", t);
        }
      }
    }
  }
}

package dev.ordo.runtime.resources;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A value that changes while the process runs — an ML model, a connection pool, an index
 * snapshot — held in one or more <b>versions</b>, used through cheap {@link Lease leases}, and
 * swapped to a new version without a single failed request.
 *
 * <pre>{@code
 * final ManagedResource<OrtSession> model = ManagedResource
 *     .builder("scoring-model", version -> env.createSession(modelFile(version)))
 *     .initialVersion("v1")
 *     .warmUp((session, version) -> session.run(sampleInput()).close())
 *     .healthCheck((session, version) -> session.getInputNames().contains("x"))
 *     .idleUnload(Duration.ofMinutes(10))
 *     .build();
 *
 * try (Lease<OrtSession> lease = model.acquire()) {      // every request
 *   score(lease.get(), lease.version());
 * }
 * model.swap("v2");                                       // load, warm up, check, then switch
 * model.rollback();                                       // back to v1, still loaded
 * }</pre>
 *
 * <p><b>Versions.</b> The loader turns a version name into a value. {@link #swap(String)} loads
 * the version, warms it up and checks it — each on a thread of its own, within its timeout — and
 * only then makes it current, atomically: a request that holds the old version finishes on it, the
 * next one gets the new version. If the load, the warm-up or the check fails or times out, the
 * current version keeps serving and the swap throws {@link SwapFailedException} with the reason.
 * Swaps of one resource are serialized. A swap to a version that is still loaded (the current one,
 * or one kept for rollback) switches to it without loading it again.
 *
 * <p><b>Keeping and unloading.</b> The keep policy ({@link Builder#keep(int)}, 2 by default) keeps
 * the current version and the previous one loaded, so that {@link #rollback()} is instant; an older
 * version is retired. A retired version is unloaded (its unloader runs; an {@link AutoCloseable}
 * value is closed by default) once its last lease is released, never while a lease holds it —
 * unless leases still hold it when {@link #close(Duration)}'s time or the {@linkplain
 * Builder#leaseTimeout lease timeout} runs out: then it is force-closed, and the force is reported.
 * With {@link Builder#idleUnload(Duration)}, a kept version that nobody has used for that long is
 * unloaded (and, with {@link Builder#unloadCurrentWhenIdle()}, a lazy resource's current version,
 * loaded again on the next {@link #acquire()}).
 *
 * <p><b>Lazy or eager.</b> An eager resource (the default) that is a field of a component loads
 * its initial version when the component starts, so its failure is the component's failure. A lazy
 * one loads on the first {@link #acquire()}: concurrent first users wait for one load, within the
 * {@linkplain Builder#acquireTimeout acquire timeout}. Either way {@code acquire()} loads on
 * demand when nothing is loaded.
 *
 * <p><b>Usage.</b> {@link #versions()} gives, per loaded version, when it was loaded, how long its
 * load and warm-up took, its total uses, its leases in use now and when it was last used.
 *
 * <p><b>In a component.</b> A {@code final} field of this type in an Ordo component is found at
 * compile time: the resource loads at the component's start (if eager), appears in its health,
 * metrics and events, and is closed after the component's {@code @OnShutdown} hook, waiting for
 * its leases within the shutdown's budget. See {@code docs/resources.md}.
 *
 * <p><b>The hot path.</b> {@link #acquire()} and {@link Lease#close()} take no lock: they update
 * a per-version reference count striped over cache lines by thread (see {@link Version}).
 *
 * @param <T> the type of the value
 * @since 0.1
 */
public final class ManagedResource<T> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ManagedResource.class.getName());

  /** Longs per stripe: 128 bytes, so that two stripes never share a cache line (or its prefetched pair). */
  static final int PAD = 16;
  /**
   * Slot offsets in a stripe: {@code LEASES} packs the leases held now (the low {@value
   * #IN_USE_BITS} bits) and the leases ever acquired (the bits above), so that an acquire is one
   * atomic add and a release another; {@code LAST_USED} is the clock's time of a release.
   */
  static final int LEASES = 0;
  static final int LAST_USED = 1;
  /** Leases held at once on one stripe: up to 2^20 - 1 (a thread holds a few). */
  static final int IN_USE_BITS = 20;
  static final long IN_USE_MASK = (1L << IN_USE_BITS) - 1;
  /** What an acquire adds: one lease held, one use. */
  static final long ACQUIRED = (1L << IN_USE_BITS) + 1;
  static final int STRIPES = stripes();
  private static final int STRIPE_SHIFT = 64 - Integer.numberOfTrailingZeros(STRIPES);

  /** Four per core (rounded up to a power of two), from 8 to 64: few threads of a pool share one. */
  private static int stripes() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    int n = Integer.highestOneBit(cores * 4 - 1) << 1;
    return Math.max(8, Math.min(64, n));
  }

  /** Turns a version name into a value. */
  @FunctionalInterface
  public interface Loader<T> {
    /** Loads {@code version}; throws when it cannot (the swap then fails with the exception as cause). */
    T load(String version) throws Exception;
  }

  /** Prepares a loaded version before it serves (runs a sample request, fills caches). */
  @FunctionalInterface
  public interface WarmUp<T> {
    /** Warms up {@code value}, version {@code version}; throwing fails the swap. */
    void warmUp(T value, String version) throws Exception;
  }

  /** Decides whether a loaded, warmed-up version may serve. */
  @FunctionalInterface
  public interface Check<T> {
    /** Whether {@code value}, version {@code version}, may serve; false or an exception fails the swap. */
    boolean check(T value, String version) throws Exception;
  }

  /** Releases what a version holds. */
  @FunctionalInterface
  public interface Unloader<T> {
    /** Unloads {@code value}, version {@code version}; an exception is reported and otherwise ignored. */
    void unload(T value, String version) throws Exception;
  }

  private final String name;
  private final Loader<? extends T> loader;
  private final WarmUp<? super T> warmUp;
  private final Check<? super T> check;
  private final Unloader<? super T> unloader;
  private final String initialVersion;
  private final int keep;
  private final Duration idleUnload;
  private final boolean unloadCurrentWhenIdle;
  private final boolean lazy;
  private final Duration loadTimeout;
  private final Duration warmUpTimeout;
  private final Duration closeTimeout;
  private final Duration acquireTimeout;
  private final Duration leaseTimeout;
  private final Clock clock;
  private final CopyOnWriteArrayList<ResourceListener> listeners = new CopyOnWriteArrayList<>();

  /**
   * The version {@link #acquire()} leases; null when none is loaded or the resource is closed.
   * Written under {@link #stateLock}, read without a lock by the hot path.
   */
  private volatile Version<T> current;

  /**
   * Serializes swaps, rollbacks and loads on demand. Who takes it: a caller of {@link #swap},
   * {@link #rollback} or {@link #load} (any thread), and the first {@link #acquire()} that finds
   * nothing loaded. It is held while a version loads (on another thread, within the load and
   * warm-up timeouts), so a second swap waits for the first; {@link #close} does not take it (an
   * in-flight swap sees the resource closed when it is about to switch, and unloads what it
   * loaded). No listener runs while it is held.
   */
  private final ReentrantLock swapLock = new ReentrantLock();

  /**
   * Guards the lists below and the writes of {@link #current}; held only for a few field updates,
   * never while calling the loader, an unloader or a listener.
   */
  private final Object stateLock = new Object();
  /** Loaded versions that are not retired: the current one first, then the kept ones, most recent first. */
  private final ArrayList<Version<T>> loaded = new ArrayList<>(); // guarded by stateLock
  /** Retired versions not unloaded yet. */
  private final ArrayList<Version<T>> retired = new ArrayList<>(); // guarded by stateLock
  private boolean closed; // guarded by stateLock
  /** The close in progress (or the last one), whose answer concurrent closes share. */
  private CompletableFuture<Boolean> closing; // guarded by stateLock
  private boolean swapping; // guarded by stateLock
  /** The version to load on demand after the current one was unloaded when idle. */
  private String idleVersion; // guarded by stateLock
  private String lastSwapError; // guarded by stateLock
  /** The load on demand in flight, which concurrent first users wait for. */
  private CompletableFuture<Void> onDemand; // guarded by stateLock
  private ScheduledFuture<?> sweep; // guarded by stateLock

  private final AtomicLongArray counters = new AtomicLongArray(6);
  private static final int LOADS = 0;
  private static final int SWAPS = 1;
  private static final int FAILURES = 2;
  private static final int UNLOADS = 3;
  private static final int FORCED = 4;

  private ManagedResource(Builder<T> b) {
    this.name = b.name;
    this.loader = b.loader;
    this.warmUp = b.warmUp;
    this.check = b.check;
    this.unloader = b.unloader;
    this.initialVersion = b.initialVersion;
    this.keep = b.keep;
    this.idleUnload = b.idleUnload;
    this.unloadCurrentWhenIdle = b.unloadCurrentWhenIdle;
    this.lazy = b.lazy;
    this.loadTimeout = b.loadTimeout;
    this.warmUpTimeout = b.warmUpTimeout;
    this.closeTimeout = b.closeTimeout;
    this.acquireTimeout = b.acquireTimeout != null ? b.acquireTimeout : saturatedSum(b.loadTimeout, b.warmUpTimeout);
    this.leaseTimeout = b.leaseTimeout;
    this.clock = b.clock;
  }

  /**
   * Starts a resource named {@code name} (in reports, health, metrics and events) whose versions
   * {@code loader} loads.
   */
  public static <T> Builder<T> builder(String name, Loader<? extends T> loader) {
    return new Builder<>(name, loader);
  }

  /** The resource's name. */
  public String name() {
    return name;
  }

  /** Whether it loads on the first {@link #acquire()} rather than at its component's start. */
  public boolean lazy() {
    return lazy;
  }

  /** The version loaded first, or {@code null} when versions come only from {@link #swap}. */
  public String initialVersion() {
    return initialVersion;
  }

  // ---------------------------------------------------------------- the hot path

  /**
   * Leases the current version; close the lease when done with it. Takes no lock when a version
   * is loaded; otherwise loads the {@linkplain #initialVersion() initial version} (or the one
   * unloaded when idle) first, and concurrent callers wait for that one load.
   *
   * @throws ResourceUnavailableException if the resource is closed, has no version to load, or
   *     its load failed or did not end within the acquire timeout
   */
  public Lease<T> acquire() {
    int stripe = stripe();
    for (;;) {
      Version<T> v = current;
      if (v == null) {
        loadOnDemand();
        continue;
      }
      // The race with a swap that retires v (it is never retired while current, but a reader may
      // have read it just before the switch): increment first, then re-check. The retiring thread
      // sets v.retired and then sums the counts; this thread adds to its count and then reads
      // v.retired. Both are sequentially consistent (volatile) accesses, so at least one of the two
      // sees the other: either the retiring thread's sum includes this increment (and v is not
      // unloaded while it is held), or this thread sees v retired and backs off, releasing its
      // increment (which re-runs the zero check) and reading current again.
      v.counts.getAndAdd(stripe + LEASES, ACQUIRED);
      if (!v.retired) {
        return new Lease<>(v, stripe);
      }
      v.backOff(stripe);
      Thread.onSpinWait();
    }
  }

  /** A version name: not null, not blank (a blank one is a caller's bug, refused before any loader sees it). */
  private static String requireVersion(String version) {
    Objects.requireNonNull(version, "version");
    if (version.isBlank()) {
      throw new IllegalArgumentException("A version needs a name, not \"" + version + "\"");
    }
    return version;
  }

  /** This thread's stripe: the offset of its slots in a version's counts. */
  private static int stripe() {
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; the baseline is 17
    long id = Thread.currentThread().getId();
    // Fibonacci hashing: consecutive ids (a pool's threads) land on stripes far apart.
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> STRIPE_SHIFT) * PAD;
  }

  // ---------------------------------------------------------------- swaps

  /**
   * Makes {@code version} current: loads it, warms it up and checks it, then switches atomically.
   * Leases of the version that served before finish on it; it stays loaded if the keep policy
   * keeps it, else it is unloaded after its last lease. A version that is still loaded is switched
   * to without loading it again. Blocks until the swap is done or failed; swaps are serialized.
   *
   * @throws IllegalArgumentException if {@code version} is blank (and {@code NullPointerException} if null)
   * @throws SwapFailedException if the load, warm-up or check failed or timed out, or the resource
   *     is closed; what served before still serves
   */
  public SwapResult swap(String version) {
    requireVersion(version);
    List<Runnable> after = new ArrayList<>(4);
    try {
      lockForSwap(version);
      try {
        return swapLocked(version, after);
      } finally {
        swapLock.unlock();
      }
    } catch (SwapFailedException e) {
      after.add(() -> emit(new ResourceEvent(ResourceEvent.Kind.SWAP_FAILED, name, version, e.currentVersion(),
          Duration.ZERO, Duration.ZERO, e.reason(), e.getMessage(), false, 0)));
      throw e;
    } finally {
      after.forEach(Runnable::run);
    }
  }

  /**
   * Returns to the previous version kept loaded (the one that served before the last swap), at
   * once: it is switched to without loading.
   *
   * @throws SwapFailedException with {@link SwapFailedException.Reason#NO_PREVIOUS_VERSION} when
   *     none is kept, or {@link SwapFailedException.Reason#CLOSED}
   */
  public SwapResult rollback() {
    List<Runnable> after = new ArrayList<>(4);
    String target = null;
    try {
      lockForSwap(null);
      try {
        synchronized (stateLock) {
          // The most recent kept version that is not current: loaded.get(1) while a version is
          // current, but loaded.get(0) when the current one was unloaded when idle (a lazy
          // resource's: it left loaded, and current is null until the next acquire).
          for (Version<T> v : loaded) {
            if (v != current) {
              target = v.id;
              break;
            }
          }
        }
        if (target == null) {
          throw failure(null, SwapFailedException.Reason.NO_PREVIOUS_VERSION,
              "no previous version is kept loaded (keep policy: " + keep + ")", null);
        }
        return swapLocked(target, after);
      } finally {
        swapLock.unlock();
      }
    } catch (SwapFailedException e) {
      String version = target;
      after.add(() -> emit(new ResourceEvent(ResourceEvent.Kind.SWAP_FAILED, name, version, e.currentVersion(),
          Duration.ZERO, Duration.ZERO, e.reason(), e.getMessage(), false, 0)));
      throw e;
    } finally {
      after.forEach(Runnable::run);
    }
  }

  /**
   * Loads the {@linkplain #initialVersion() initial version} now if no version is loaded (what
   * the component's start does for an eager resource); does nothing when one is loaded or when
   * there is no initial version. After {@link #close()}, opens the resource again first
   * ({@link #open()}).
   *
   * @throws SwapFailedException if the load, warm-up or check failed or timed out
   */
  public void load() {
    open();
    if (current != null || initialVersion == null) {
      return;
    }
    List<Runnable> after = new ArrayList<>(4);
    try {
      lockForSwap(initialVersion);
      try {
        if (current == null) {
          String version;
          synchronized (stateLock) {
            version = idleVersion != null ? idleVersion : initialVersion;
          }
          swapLocked(version, after);
        }
      } finally {
        swapLock.unlock();
      }
    } catch (SwapFailedException e) {
      after.add(() -> emit(new ResourceEvent(ResourceEvent.Kind.SWAP_FAILED, name, e.version(), e.currentVersion(),
          Duration.ZERO, Duration.ZERO, e.reason(), e.getMessage(), false, 0)));
      throw e;
    } finally {
      after.forEach(Runnable::run);
    }
  }

  /**
   * Opens the resource again after {@link #close()}, loading nothing: a lazy resource loads on its
   * next {@link #acquire()}. Does nothing when it is open. A component's start (and its restart)
   * does this for its lazy resources, and {@link #load()} for the eager ones.
   */
  public void open() {
    synchronized (stateLock) {
      closed = false;
    }
  }

  private void lockForSwap(String version) {
    try {
      swapLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(version, SwapFailedException.Reason.INTERRUPTED, "interrupted while waiting for another swap", e);
    }
  }

  /** The swap itself, under {@link #swapLock}; what must run after the lock is added to {@code after}. */
  private SwapResult swapLocked(String version, List<Runnable> after) {
    Version<T> from;
    Version<T> kept = null;
    synchronized (stateLock) {
      if (closed) {
        throw failure(version, SwapFailedException.Reason.CLOSED, "the resource is closed", null);
      }
      from = current;
      for (Version<T> v : loaded) {
        if (v.id.equals(version)) {
          kept = v;
        }
      }
    }
    if (kept != null) {
      if (kept == from) {
        return new SwapResult(name, version, version, false, Duration.ZERO, Duration.ZERO);
      }
      int switched = switchTo(kept, true, from, after);
      if (switched == SWITCHED) {
        return new SwapResult(name, from == null ? null : from.id, version, false, Duration.ZERO, Duration.ZERO);
      }
      if (switched == CLOSED) {
        throw failure(version, SwapFailedException.Reason.CLOSED, "the resource is closed", null);
      }
      // GONE: unloadIdle() (the sweep's thread, or any caller; it takes the state lock, not the swap
      // lock) retired the kept version between the look-up above and the switch. Switching to it
      // would make a retired version current: every acquire() would back off from it forever, and
      // it would be unloaded under the requests. Load it again instead, as for a version not kept.
    }
    synchronized (stateLock) {
      swapping = true;
    }
    Version<T> fresh;
    try {
      fresh = loadVersion(version);
    } finally {
      synchronized (stateLock) {
        swapping = false;
      }
    }
    if (switchTo(fresh, false, from, after) != SWITCHED) {
      // closed while it loaded: nobody can lease it, so it is unloaded at once.
      retireAll(List.of(fresh), after);
      throw failure(version, SwapFailedException.Reason.CLOSED, "the resource was closed while it loaded", null);
    }
    counters.getAndIncrement(LOADS);
    after.add(0, () -> emit(new ResourceEvent(ResourceEvent.Kind.LOADED, name, version, null,
        Duration.ofNanos(fresh.loadNanos), Duration.ofNanos(fresh.warmUpNanos), null, null, false, 0)));
    return new SwapResult(name, from == null ? null : from.id, version, true,
        Duration.ofNanos(fresh.loadNanos), Duration.ofNanos(fresh.warmUpNanos));
  }

  private static final int SWITCHED = 0;
  private static final int CLOSED = 1;
  private static final int GONE = 2;

  /**
   * Makes {@code to} current and retires what the keep policy no longer keeps; {@link #SWITCHED},
   * else (and nothing changed) {@link #CLOSED} when the resource is closed, or {@link #GONE} when
   * {@code to} is a version that was loaded ({@code wasLoaded}) but is no longer (it was retired by
   * {@link #unloadIdle()} since it was looked up), both decided under the same lock as {@link
   * #close}'s and {@link #unloadIdle()}'s, which take a version out of {@link #loaded} before they
   * retire it.
   */
  private int switchTo(Version<T> to, boolean wasLoaded, Version<T> from, List<Runnable> after) {
    List<Version<T>> evicted = new ArrayList<>(1);
    long now = clock.millis();
    synchronized (stateLock) {
      if (closed) {
        return CLOSED;
      }
      if (wasLoaded && !loaded.contains(to)) {
        return GONE;
      }
      loaded.remove(to);
      loaded.add(0, to);
      if (from != null) {
        from.currentUntil = now;
      }
      current = to;
      idleVersion = null;
      lastSwapError = null;
      while (loaded.size() > keep) {
        evicted.add(loaded.remove(loaded.size() - 1));
      }
      // In the same lock as their removal from loaded: a close() that runs between the two (on any
      // thread) must find them in retired, to wait for their leases and force them when its time is up.
      retireAllLocked(evicted);
    }
    if (from != null) {
      counters.getAndIncrement(SWAPS);
      after.add(() -> emit(new ResourceEvent(ResourceEvent.Kind.SWAPPED, name, to.id, from.id,
          Duration.ZERO, Duration.ZERO, null, null, false, 0)));
    }
    markRetired(evicted);
    scheduleSweep();
    return SWITCHED;
  }

  /** Loads, warms up and checks {@code version}, each on a thread of its own within its timeout. */
  private Version<T> loadVersion(String version) {
    long began = System.nanoTime();
    T value;
    try {
      value = timed("load", loadTimeout, () -> {
        T v = loader.load(version);
        if (v == null) {
          throw new NullPointerException("the loader returned null for " + version);
        }
        return v;
      }, late -> unloadQuietly(late, version));
    } catch (TimeoutException e) {
      throw failure(version, SwapFailedException.Reason.LOAD_TIMED_OUT,
          "the load did not end within " + millis(loadTimeout) + " ms", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(version, SwapFailedException.Reason.INTERRUPTED, "interrupted during the load", e);
    } catch (ExecutionException e) {
      throw failure(version, SwapFailedException.Reason.LOAD_FAILED, "the load failed: " + describe(e.getCause()),
          e.getCause());
    }
    long loadNanos = System.nanoTime() - began;
    long warmBegan = System.nanoTime();
    SwapFailedException failed = null;
    try {
      Boolean ok = timed("warm-up", warmUpTimeout, () -> {
        if (warmUp != null) {
          try {
            warmUp.warmUp(value, version);
          } catch (Exception e) {
            throw new WarmUpFailure(e);
          }
        }
        return check == null || check.check(value, version);
      }, late -> {}, () -> unloadQuietly(value, version));
      if (!ok) {
        failed = failure(version, SwapFailedException.Reason.CHECK_FAILED, "the health check returned false", null);
      }
    } catch (TimeoutException e) {
      // The warm-up thread still uses the value: it unloads it when it ends (see timed).
      throw failure(version, SwapFailedException.Reason.WARM_UP_TIMED_OUT,
          "the warm-up and check did not end within " + millis(warmUpTimeout) + " ms", null);
    } catch (InterruptedException e) {
      // As after a timeout, the warm-up thread may still use the value, and unloads it when it ends.
      Thread.currentThread().interrupt();
      throw failure(version, SwapFailedException.Reason.INTERRUPTED, "interrupted during the warm-up", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      failed = cause instanceof WarmUpFailure
          ? failure(version, SwapFailedException.Reason.WARM_UP_FAILED,
              "the warm-up failed: " + describe(cause.getCause()), cause.getCause())
          : failure(version, SwapFailedException.Reason.CHECK_FAILED, "the health check threw: " + describe(cause), cause);
    }
    if (failed != null) {
      unloadQuietly(value, version);
      throw failed;
    }
    Version<T> v = new Version<>(this, version, value, clock.millis(), loadNanos, System.nanoTime() - warmBegan);
    return v;
  }

  /** Marks a warm-up's own exception apart from the check's. */
  private static final class WarmUpFailure extends Exception {
    private static final long serialVersionUID = 1L;

    WarmUpFailure(Exception cause) {
      super(cause);
    }
  }

  private <R> R timed(String phase, Duration timeout, Callable<R> work, java.util.function.Consumer<R> lateValue)
      throws TimeoutException, InterruptedException, ExecutionException {
    return timed(phase, timeout, work, lateValue, () -> {});
  }

  /**
   * Runs {@code work} on a new daemon thread and waits for it within {@code timeout}. The caller
   * is whoever swaps (any thread); the worker runs user code (a loader, a warm-up, a check) and
   * holds no lock. On a timeout the worker is interrupted and abandoned: whichever of the two
   * completes the future first decides, so when the work ends after the timeout, {@code lateValue}
   * gets its value and {@code lateEnd} runs, on the worker's thread, once the work no longer uses
   * anything (the loaded value is unloaded then, never while a warm-up still runs on it).
   */
  private <R> R timed(String phase, Duration timeout, Callable<R> work, java.util.function.Consumer<R> lateValue,
      Runnable lateEnd) throws TimeoutException, InterruptedException, ExecutionException {
    CompletableFuture<R> result = new CompletableFuture<>();
    Thread worker = new Thread(() -> {
      R value = null;
      Throwable error = null;
      try {
        value = work.call();
      } catch (Throwable t) {
        error = t;
      }
      boolean inTime = error == null ? result.complete(value) : result.completeExceptionally(error);
      if (!inTime) {
        try {
          if (value != null) {
            lateValue.accept(value);
          }
          lateEnd.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Cleaning up after the late " + phase + " of " + name + " failed", e);
        }
      }
    }, "ordo-resource-" + name + "-" + phase);
    worker.setDaemon(true);
    worker.start();
    try {
      return result.get(nanos(timeout), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | InterruptedException e) {
      if (result.completeExceptionally(e)) {
        worker.interrupt();
        throw e;
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return result.get(); // it ended just in time
    }
  }

  private SwapFailedException failure(String version, SwapFailedException.Reason reason, String detail,
      Throwable cause) {
    Version<T> serving = current;
    SwapFailedException e = new SwapFailedException(name, version, serving == null ? null : serving.id, reason, detail,
        cause);
    synchronized (stateLock) {
      lastSwapError = e.getMessage();
    }
    counters.getAndIncrement(FAILURES);
    return e;
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "unknown";
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + message;
  }

  // ---------------------------------------------------------------- load on demand

  /**
   * The slow path of {@link #acquire()}: nothing is loaded. The first caller loads (under the swap
   * lock, as a swap would); the others wait for its future, within the acquire timeout, and share
   * its failure.
   */
  private void loadOnDemand() {
    CompletableFuture<Void> load;
    boolean mine = false;
    String version;
    synchronized (stateLock) {
      if (closed) {
        throw new ResourceUnavailableException(name + " is closed", null);
      }
      if (current != null) {
        return;
      }
      version = idleVersion != null ? idleVersion : initialVersion;
      if (version == null) {
        throw new ResourceUnavailableException(name + " has no version to lease: it has no initial version,"
            + " and no swap(version) has succeeded yet", null);
      }
      load = onDemand;
      if (load == null) {
        onDemand = load = new CompletableFuture<>();
        mine = true;
      }
    }
    if (mine) {
      // The load runs on a thread of its own, not on this caller's: the first caller too waits for
      // at most the acquire timeout (which may be shorter than the load and warm-up timeouts that
      // bound the load itself), and an interrupt of this caller (a request's thread being
      // cancelled) abandons only its own wait, not the load the other callers share. The thread
      // runs the loader, warm-up and check (each on a thread of their own, within their timeouts),
      // holds the swap lock only while it loads, and completes the future whatever happens.
      CompletableFuture<Void> shared = load;
      Thread loading = new Thread(() -> {
        Throwable error = null;
        try {
          loadOnDemandNow();
        } catch (Throwable e) {
          error = e;
        }
        synchronized (stateLock) { // before completing: an acquire after the failure tries again
          if (onDemand == shared) {
            onDemand = null;
          }
        }
        if (error == null) {
          shared.complete(null);
        } else {
          shared.completeExceptionally(error);
        }
      }, "ordo-resource-" + name + "-on-demand");
      loading.setDaemon(true);
      loading.start();
    }
    try {
      load.get(nanos(acquireTimeout), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ResourceUnavailableException("The load of " + name + " " + version + " did not end within the acquire"
          + " timeout of " + millis(acquireTimeout) + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResourceUnavailableException("Interrupted while waiting for the load of " + name, e);
    } catch (ExecutionException e) {
      throw unavailable(e.getCause());
    }
  }

  private void loadOnDemandNow() {
    List<Runnable> after = new ArrayList<>(4);
    String version = null;
    try {
      try {
        if (!swapLock.tryLock(nanos(acquireTimeout), TimeUnit.NANOSECONDS)) {
          throw new ResourceUnavailableException("Another swap of " + name + " did not end within the acquire timeout"
              + " of " + millis(acquireTimeout) + " ms", null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ResourceUnavailableException("Interrupted while waiting for the load of " + name, e);
      }
      try {
        if (current == null) {
          synchronized (stateLock) {
            version = idleVersion != null ? idleVersion : initialVersion;
          }
          swapLocked(version, after);
        }
      } finally {
        swapLock.unlock();
      }
    } catch (SwapFailedException e) {
      String v = version;
      after.add(() -> emit(new ResourceEvent(ResourceEvent.Kind.SWAP_FAILED, name, v, e.currentVersion(),
          Duration.ZERO, Duration.ZERO, e.reason(), e.getMessage(), false, 0)));
      throw e;
    } finally {
      after.forEach(Runnable::run);
    }
  }

  private ResourceUnavailableException unavailable(Throwable cause) {
    if (cause instanceof ResourceUnavailableException) {
      return (ResourceUnavailableException) cause;
    }
    return new ResourceUnavailableException("Cannot lease " + name + ": " + cause.getMessage(), cause);
  }

  // ---------------------------------------------------------------- retiring and unloading

  /** Retires {@code versions}: no new lease; each is unloaded once its last lease is released. */
  private void retireAll(List<Version<T>> versions, List<Runnable> after) {
    if (versions.isEmpty()) {
      return;
    }
    synchronized (stateLock) {
      retireAllLocked(versions);
    }
    markRetired(versions);
  }

  /**
   * The second half of retiring, outside the state lock (an unload may start from here): the
   * versions, already moved from {@link #loaded} to {@link #retired} under the lock, take no new
   * lease, and those without leases are unloaded.
   */
  private void markRetired(List<Version<T>> versions) {
    for (Version<T> v : versions) {
      v.retired = true; // volatile: before the zero check below (see acquire)
      v.closeIfUnused();
    }
  }

  /**
   * Unloads {@code v} on a new daemon thread (never on a thread that released a lease, which may
   * be serving a request), within the close timeout; then reports it. Called once per version. A
   * forced unload is reported at once, on the calling thread (the one closing the resource, within
   * the shutdown's budget, before the application's events are flushed): its unloader may then
   * take as long as it takes.
   */
  private void unload(Version<T> v, boolean forced, String why) {
    if (forced) {
      counters.getAndIncrement(FORCED);
      LOG.log(Level.WARNING, "Force-closing " + name + " " + v.id + " while " + Math.max(0, v.inUse())
          + " lease(s) still hold it: " + why);
      emit(new ResourceEvent(ResourceEvent.Kind.UNLOADED, name, v.id, null, Duration.ZERO, Duration.ZERO, null,
          why, true, v.totalUses()));
    }
    Thread t = new Thread(() -> {
      String error = null;
      try {
        timed("unloader", closeTimeout, () -> {
          runUnloader(v.value, v.id);
          return Boolean.TRUE;
        }, late -> {});
      } catch (TimeoutException e) {
        error = "the unloader did not end within " + millis(closeTimeout) + " ms and was abandoned";
      } catch (InterruptedException e) {
        error = "interrupted while unloading";
      } catch (ExecutionException e) {
        error = "the unloader failed: " + describe(e.getCause());
      }
      synchronized (stateLock) {
        retired.remove(v);
      }
      counters.getAndIncrement(UNLOADS);
      if (error != null) {
        LOG.log(Level.WARNING, "Unloading " + name + " " + v.id + ": " + error);
      }
      if (!forced) {
        emit(new ResourceEvent(ResourceEvent.Kind.UNLOADED, name, v.id, null, Duration.ZERO, Duration.ZERO, null,
            error, false, v.totalUses()));
      }
      v.unloaded.complete(null);
    }, "ordo-resource-" + name + "-unload");
    t.setDaemon(true);
    t.start();
  }

  private void runUnloader(T value, String version) throws Exception {
    if (unloader != null) {
      unloader.unload(value, version);
    } else if (value instanceof AutoCloseable) {
      ((AutoCloseable) value).close();
    }
  }

  private void unloadQuietly(T value, String version) {
    try {
      runUnloader(value, version);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Unloading " + name + " " + version + ", which did not become current, failed", e);
    }
  }

  /**
   * Unloads the versions nobody has used for the idle time: kept (non-current) versions without
   * leases, and with {@link Builder#unloadCurrentWhenIdle()} the current one (loaded again on the
   * next {@link #acquire()}). A background task does this periodically when an idle time is set;
   * call it to do it now (tests with a {@linkplain Builder#clock clock} of their own do).
   *
   * @return the versions retired by this call
   */
  public List<String> unloadIdle() {
    List<String> unloadedNow = new ArrayList<>();
    List<Version<T>> idle = new ArrayList<>();
    List<Version<T>> overdue = new ArrayList<>();
    long now = clock.millis();
    synchronized (stateLock) {
      if (idleUnload != null && !closed) {
        for (int i = loaded.size() - 1; i >= 0; i--) {
          Version<T> v = loaded.get(i);
          boolean isCurrent = v == current;
          if (isCurrent && !unloadCurrentWhenIdle) {
            continue;
          }
          if (v.inUse() == 0 && now - v.lastUsedMillis() >= millis(idleUnload)) {
            loaded.remove(i);
            idle.add(v);
            unloadedNow.add(v.id);
            if (isCurrent) {
              current = null;
              idleVersion = v.id;
            }
          }
        }
      }
      retireAllLocked(idle); // in the lock that took them out of loaded: see switchTo
      if (leaseTimeout != null) {
        for (Version<T> v : retired) {
          if (now - v.retiredAt >= millis(leaseTimeout)) {
            overdue.add(v);
          }
        }
      }
    }
    markRetired(idle);
    for (Version<T> v : overdue) {
      v.forceClose("its leases were not released within the lease timeout of " + millis(leaseTimeout) + " ms");
    }
    return unloadedNow;
  }

  private void scheduleSweep() {
    if (idleUnload == null && leaseTimeout == null) {
      return;
    }
    synchronized (stateLock) {
      if (sweep != null || closed) {
        return;
      }
      long period = Math.min(idleUnload != null ? millis(idleUnload) : Long.MAX_VALUE,
          leaseTimeout != null ? millis(leaseTimeout) : Long.MAX_VALUE) / 4;
      period = Math.max(10, Math.min(60_000, period));
      sweep = Sweeper.INSTANCE.scheduleWithFixedDelay(() -> {
        try {
          unloadIdle();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Unloading idle versions of " + name + " failed", e);
        }
      }, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * One daemon thread for the idle sweeps of every resource, started with the first sweep and
   * ended a second after the last one is cancelled. A sweep only compares counts and times and
   * starts unload threads, so it never blocks the others.
   */
  private static final class Sweeper {
    static final ScheduledThreadPoolExecutor INSTANCE = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "ordo-resource-idle-sweep");
        t.setDaemon(true);
        return t;
      });
      e.setKeepAliveTime(1, TimeUnit.SECONDS);
      e.allowCoreThreadTimeOut(true);
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }

  // ---------------------------------------------------------------- close

  /** {@link #close(Duration)} with the close timeout (30 seconds by default). */
  @Override
  public void close() {
    close(closeTimeout);
  }

  /**
   * Closes the resource: {@link #acquire()} and swaps are refused from now on, every version is
   * retired and unloaded once its last lease is released; versions still leased when {@code
   * timeout} has passed are force-closed, and reported (a warning, and an {@code unloaded} event
   * with {@code forced}). Calling it again waits again. {@link #load()} opens it again.
   *
   * @return whether every version was unloaded within {@code timeout} without force
   */
  public boolean close(Duration timeout) {
    long deadline = System.nanoTime() + nanos(timeout); // wraps for "no limit"; deadline - now unwraps it
    List<Version<T>> all;
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> theirs;
    synchronized (stateLock) {
      // A close already in progress on another thread has taken every version: this one's answer
      // is that close's (whether something had to be forced), waited for within this timeout.
      theirs = closing != null && !closing.isDone() ? closing : null;
      if (theirs == null) {
        closing = mine;
      }
    }
    if (theirs != null) {
      try {
        return theirs.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        return false; // still held (or failed) when this close's time ran out: not closed cleanly
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    boolean clean = false;
    try {
      clean = closeAll(deadline, timeout);
      return clean;
    } finally {
      mine.complete(clean);
    }
  }

  /** {@link #close(Duration)}'s work, on the one thread that closes. */
  private boolean closeAll(long deadline, Duration timeout) {
    List<Version<T>> all;
    synchronized (stateLock) {
      closed = true;
      current = null;
      List<Version<T>> toRetire = new ArrayList<>(loaded);
      loaded.clear();
      if (sweep != null) {
        sweep.cancel(false);
        sweep = null;
      }
      retireAllLocked(toRetire);
      all = new ArrayList<>(retired);
    }
    for (Version<T> v : all) {
      v.retired = true;
      v.closeIfUnused();
    }
    boolean clean = true;
    for (Version<T> v : all) {
      long left = deadline - System.nanoTime();
      if (!await(v.unloaded, left)) {
        v.forceClose("leases still held it when closing " + name + " had waited "
            + Math.max(0, millis(timeout)) + " ms");
      }
      // Not forceClose's own answer: when two threads close at once (or the lease timeout forced
      // it first), only one of them wins the force, and each must still say that it was forced.
      if (v.forced) {
        clean = false;
      }
    }
    return clean;
  }

  private void retireAllLocked(List<Version<T>> versions) {
    long now = clock.millis();
    for (Version<T> v : versions) {
      v.retiredAt = now;
      retired.add(v);
    }
  }

  private static boolean await(CompletableFuture<Void> f, long nanos) {
    try {
      f.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return f.isDone();
    } catch (ExecutionException e) {
      return true;
    }
  }

  // ---------------------------------------------------------------- reading

  /** The version that serves, if any. */
  public Optional<String> currentVersion() {
    Version<T> v = current;
    return v == null ? Optional.empty() : Optional.of(v.id);
  }

  /** The resource's state. */
  public ResourceState state() {
    synchronized (stateLock) {
      if (closed) {
        return ResourceState.CLOSED;
      }
      if (current == null) {
        return swapping || onDemand != null ? ResourceState.LOADING : ResourceState.UNLOADED;
      }
      return swapping ? ResourceState.SWAPPING : ResourceState.READY;
    }
  }

  /** The message of the last failed swap or load, until a swap succeeds. */
  public Optional<String> lastSwapError() {
    synchronized (stateLock) {
      return Optional.ofNullable(lastSwapError);
    }
  }

  /**
   * Every loaded version with its usage: the current one first, then the kept ones (most recent
   * first), then the retired ones still waiting for their leases.
   */
  public List<VersionStats> versions() {
    long now = clock.millis();
    synchronized (stateLock) {
      List<VersionStats> stats = new ArrayList<>(loaded.size() + retired.size());
      for (Version<T> v : loaded) {
        stats.add(v.stats(v == current ? VersionStats.Role.CURRENT : VersionStats.Role.KEPT, now));
      }
      for (Version<T> v : retired) {
        stats.add(v.stats(VersionStats.Role.RETIRED, now));
      }
      return stats;
    }
  }

  /** Leases held now, over every version. */
  public long leasesInUse() {
    long sum = 0;
    for (VersionStats s : versions()) {
      sum += s.inUse();
    }
    return sum;
  }

  /** Versions loaded (warmed up and checked) since the resource was built. */
  public long loads() {
    return counters.get(LOADS);
  }

  /** Changes of the current version since the resource was built (the first load is not one). */
  public long swaps() {
    return counters.get(SWAPS);
  }

  /** Swaps, rollbacks and loads that failed. */
  public long failures() {
    return counters.get(FAILURES);
  }

  /** Versions unloaded. */
  public long unloads() {
    return counters.get(UNLOADS);
  }

  /** Versions force-closed while leases still held them. */
  public long forcedUnloads() {
    return counters.get(FORCED);
  }

  /** Adds a listener of this resource's loads, swaps, failures and unloads. */
  public void addListener(ResourceListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added with {@link #addListener}. */
  public void removeListener(ResourceListener listener) {
    listeners.remove(listener);
  }

  private void emit(ResourceEvent event) {
    for (ResourceListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Any throwable, an AssertionError or a LinkageError too: emit runs on a swapping thread
        // (after the swap succeeded, with other events still to emit) or on an unload thread (which
        // still has to complete the version's unloaded future that close() waits for); a listener's
        // failure must break neither.
        LOG.log(Level.WARNING, "Resource listener " + l + " failed on " + event, e);
      }
    }
  }

  @Override
  public String toString() {
    return "ManagedResource[" + name + ", " + state() + currentVersion().map(v -> " " + v).orElse("") + "]";
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      // A negative duration past the range is no time at all, not "no limit" (close(d) would wait forever).
      return d.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  /** {@code d} in milliseconds, saturated: a duration past the long range means no limit (and never throws). */
  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static Duration saturatedSum(Duration a, Duration b) {
    try {
      return a.plus(b);
    } catch (ArithmeticException e) {
      return Duration.ofSeconds(Long.MAX_VALUE);
    }
  }

  // ---------------------------------------------------------------- one version

  /**
   * One loaded version and its reference count. The count is striped: {@link #counts} holds, per
   * stripe (a thread's id picks it), one long packing the leases held and the leases ever
   * acquired, and the time of the last timed release, 128 bytes apart, so that threads on
   * different stripes never write the same cache line. A lease releases on the stripe it acquired
   * on, so every stripe's held count is never negative, and a held lease keeps its stripe at one
   * or more: a sum that reads zero in every stripe after {@link #retired} was set proves that no
   * lease holds the version (see {@link ManagedResource#acquire()} for why a lease taken during the
   * sum backs off). The version is unloaded by whoever wins {@link #closing}: the retiring thread or
   * the release that brought the count to zero.
   */
  static final class Version<T> {
    final ManagedResource<T> owner;
    final String id;
    final T value;
    final long loadedAt;
    final long loadNanos;
    final long warmUpNanos;
    final AtomicLongArray counts = new AtomicLongArray(STRIPES * PAD);
    volatile boolean retired;
    final AtomicInteger closing = new AtomicInteger();
    volatile long retiredAt;
    /** Whether it was force-closed while leases held it (written once, by the thread that won {@link #closing}). */
    volatile boolean forced;
    /** When it stopped being current (clock millis), 0 while it is, or never was. */
    volatile long currentUntil;
    /** Whether every release reads the clock: the current version too may be unloaded when idle. */
    final boolean stampEveryRelease;
    /** The uses a statistics read last saw, and when: the current version's last use, without a clock on its releases. */
    private long seenUses;
    private long seenAt;
    final CompletableFuture<Void> unloaded = new CompletableFuture<>();

    Version(ManagedResource<T> owner, String id, T value, long loadedAt, long loadNanos, long warmUpNanos) {
      this.stampEveryRelease = owner.unloadCurrentWhenIdle;
      this.owner = owner;
      this.id = id;
      this.value = value;
      this.loadedAt = loadedAt;
      this.loadNanos = loadNanos;
      this.warmUpNanos = warmUpNanos;
    }

    /**
     * A lease of this version, acquired on {@code stripe}, is released. The clock is read only
     * when the version is no longer current (a lease held across a swap: what the idle time of a
     * kept version counts from), or when the current version itself may be unloaded when idle:
     * reading it on every release would cost more than the rest of a lease. A release that reads
     * {@code current} just before a swap moves it is covered by the swap's {@link #currentUntil}.
     */
    void release(int stripe) {
      if (stampEveryRelease || owner.current != this) {
        counts.lazySet(stripe + LAST_USED, owner.clock.millis());
      }
      counts.getAndDecrement(stripe + LEASES);
      if (retired) {
        closeIfUnused();
      }
    }

    /** An acquire that found this version retired takes back its lease and its use. */
    void backOff(int stripe) {
      counts.getAndAdd(stripe + LEASES, -ACQUIRED);
      closeIfUnused();
    }

    long inUse() {
      long sum = 0;
      for (int s = 0; s < STRIPES; s++) {
        sum += counts.get(s * PAD + LEASES) & IN_USE_MASK;
      }
      return sum;
    }

    long totalUses() {
      long sum = 0;
      for (int s = 0; s < STRIPES; s++) {
        sum += counts.get(s * PAD + LEASES) >>> IN_USE_BITS;
      }
      return sum;
    }

    long lastReleased() {
      long last = 0;
      for (int s = 0; s < STRIPES; s++) {
        last = Math.max(last, counts.get(s * PAD + LAST_USED));
      }
      return last;
    }

    /** When it was last used, or stopped being current, or was loaded: what idle time counts from. */
    long lastUsedMillis() {
      return Math.max(Math.max(loadedAt, currentUntil), lastReleased());
    }

    /** Retired and without leases: unload it (once). */
    void closeIfUnused() {
      if (retired && closing.get() == 0 && inUse() == 0 && closing.compareAndSet(0, 1)) {
        owner.unload(this, false, null);
      }
    }

    /** Unloads it although leases may hold it; false if it was already being unloaded. */
    boolean forceClose(String why) {
      if (closing.compareAndSet(0, 1)) {
        long held = inUse();
        if (held == 0) {
          owner.unload(this, false, null);
          return false;
        }
        forced = true;
        owner.unload(this, true, why);
        return true;
      }
      return false;
    }

    /**
     * When it was last used, as far as can be told without a clock read on each release: the
     * latest timed release, else, for uses that were not timed (releases of the current version),
     * the time of the first statistics read that saw them. Called under the resource's state lock.
     */
    long lastUsed(long now, boolean isCurrent) {
      long uses = totalUses();
      if (uses != seenUses) {
        seenUses = uses;
        // Untimed uses of a version that is no longer current ended when it stopped being current.
        long until = currentUntil;
        seenAt = isCurrent || until == 0 ? now : Math.min(now, until);
      }
      return Math.max(lastReleased(), seenAt);
    }

    VersionStats stats(VersionStats.Role role, long now) {
      long last = lastUsed(now, role == VersionStats.Role.CURRENT);
      return new VersionStats(id, role, Instant.ofEpochMilli(loadedAt), Duration.ofNanos(loadNanos),
          Duration.ofNanos(warmUpNanos), totalUses(), Math.max(0, inUse()),
          last == 0 ? null : Instant.ofEpochMilli(last));
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link ManagedResource}. Every timeout is positive; a duration past the nanosecond
   * range means no limit.
   *
   * @param <T> the type of the value
   */
  public static final class Builder<T> {
    private final String name;
    private final Loader<? extends T> loader;
    private WarmUp<? super T> warmUp;
    private Check<? super T> check;
    private Unloader<? super T> unloader;
    private String initialVersion;
    private int keep = 2;
    private Duration idleUnload;
    private boolean unloadCurrentWhenIdle;
    private boolean lazy;
    private Duration loadTimeout = Duration.ofMinutes(1);
    private Duration warmUpTimeout = Duration.ofMinutes(1);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration acquireTimeout;
    private Duration leaseTimeout;
    private Clock clock = Clock.systemUTC();

    private Builder(String name, Loader<? extends T> loader) {
      this.name = Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("A managed resource needs a name, not \"" + name + "\"");
      }
      this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * The version loaded first: at the component's start (eager) or on the first acquire (lazy).
     *
     * @throws IllegalArgumentException if {@code version} is blank
     */
    public Builder<T> initialVersion(String version) {
      this.initialVersion = requireVersion(version);
      return this;
    }

    /** Runs on each loaded version before it serves; a failure fails the swap. */
    public Builder<T> warmUp(WarmUp<? super T> warmUp) {
      this.warmUp = Objects.requireNonNull(warmUp, "warmUp");
      return this;
    }

    /** Runs on each loaded version after its warm-up; false or an exception fails the swap. */
    public Builder<T> healthCheck(Check<? super T> check) {
      this.check = Objects.requireNonNull(check, "check");
      return this;
    }

    /**
     * Unloads a version; by default an {@link AutoCloseable} value is closed and any other value
     * is left to the garbage collector.
     */
    public Builder<T> unloader(Unloader<? super T> unloader) {
      this.unloader = Objects.requireNonNull(unloader, "unloader");
      return this;
    }

    /**
     * How many versions stay loaded, the current one included (default 2: the current one and
     * the previous one, for {@link ManagedResource#rollback()}).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder<T> keep(int versions) {
      if (versions < 1) {
        throw new IllegalArgumentException("keep(" + versions + "): at least the current version is kept");
      }
      this.keep = versions;
      return this;
    }

    /** Unloads a kept (non-current) version nobody has used for {@code idle}. */
    public Builder<T> idleUnload(Duration idle) {
      this.idleUnload = positive("idleUnload", idle);
      return this;
    }

    /**
     * With {@link #idleUnload} and {@link #lazy()}: the current version too is unloaded when
     * nobody has used it for the idle time, and loaded again by the next acquire.
     */
    public Builder<T> unloadCurrentWhenIdle() {
      this.unloadCurrentWhenIdle = true;
      return this;
    }

    /** Loads on the first {@link ManagedResource#acquire()} rather than at the component's start. */
    public Builder<T> lazy() {
      this.lazy = true;
      return this;
    }

    /** Loads at the component's start (the default). */
    public Builder<T> eager() {
      this.lazy = false;
      return this;
    }

    /** How long a loader may take (default 1 minute). */
    public Builder<T> loadTimeout(Duration timeout) {
      this.loadTimeout = positive("loadTimeout", timeout);
      return this;
    }

    /** How long the warm-up and the check may take together (default 1 minute). */
    public Builder<T> warmUpTimeout(Duration timeout) {
      this.warmUpTimeout = positive("warmUpTimeout", timeout);
      return this;
    }

    /**
     * How long an unloader may take, and how long {@link ManagedResource#close()} waits for leases
     * (default 30 seconds).
     */
    public Builder<T> closeTimeout(Duration timeout) {
      this.closeTimeout = positive("closeTimeout", timeout);
      return this;
    }

    /**
     * How long {@link ManagedResource#acquire()} waits for a load on demand (default: the load
     * timeout plus the warm-up timeout).
     */
    public Builder<T> acquireTimeout(Duration timeout) {
      this.acquireTimeout = positive("acquireTimeout", timeout);
      return this;
    }

    /**
     * How long a retired version waits for its leases before it is force-closed (and reported);
     * by default it waits for as long as they are held, because closing a value in use can crash
     * (an ONNX Runtime session does).
     */
    public Builder<T> leaseTimeout(Duration timeout) {
      this.leaseTimeout = positive("leaseTimeout", timeout);
      return this;
    }

    /** The clock of idle times, last uses and load times (a test's own clock makes idle unload deterministic). */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Returns the resource, with nothing loaded yet.
     *
     * @throws IllegalStateException if {@link #unloadCurrentWhenIdle()} is set without {@link #lazy()}
     *     and {@link #idleUnload}
     */
    public ManagedResource<T> build() {
      if (unloadCurrentWhenIdle && (!lazy || idleUnload == null)) {
        throw new IllegalStateException(name + ": unloadCurrentWhenIdle() needs lazy() (an eager resource is loaded"
            + " at its component's start and stays loaded) and idleUnload(duration)");
      }
      return new ManagedResource<>(this);
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + "(" + d + "): must be positive");
      }
      return d;
    }
  }
}

package dev.ordo.runtime.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.resources.ManagedResourceTest.FakeLoader;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeModel;
import dev.ordo.runtime.resources.ManagedResourceTest.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The promises of docs/resources.md, attacked: races, hostile callbacks and listeners, extreme values. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against hangs only
class ManagedResourceAdversarialTest {

  /** A test clock that runs a hook, once, on the next read of the thread that armed it. */
  static final class HookClock extends TestClock {
    final AtomicReference<Runnable> hook = new AtomicReference<>();
    volatile Thread armedBy;

    void arm(Runnable r) {
      armedBy = Thread.currentThread();
      hook.set(r);
    }

    @Override
    public long millis() {
      if (Thread.currentThread() == armedBy) {
        Runnable r = hook.getAndSet(null);
        if (r != null) {
          r.run();
        }
      }
      return super.millis();
    }
  }

  private static <T> T within(Future<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS); // safety net: the failure mode is a hang (a spinning acquire)
  }

  @Test
  void aRollbackRacingAnIdleUnloadOfItsTargetLoadsItAgainInsteadOfServingAnUnloadedVersion() throws Exception {
    FakeLoader loader = new FakeLoader();
    HookClock clock = new HookClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1")
        .idleUnload(Duration.ofMinutes(5)).clock(clock).build();
    r.load();
    r.swap("v2");
    // rollback() looks up v1 (kept), then switches to it; the idle sweep retires v1 in between.
    clock.arm(() -> {
      clock.advance(Duration.ofMinutes(10));
      assertEquals(List.of("v1"), r.unloadIdle());
    });
    SwapResult back = r.rollback();
    assertEquals("v1", back.version());
    assertTrue(back.loaded(), "v1 was unloaded meanwhile, so it is loaded again");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      within(pool.submit(() -> {
        try (Lease<FakeModel> lease = r.acquire()) {
          assertEquals("v1", lease.version());
          lease.get().use(); // throws if it is the unloaded v1
        }
        return null;
      }));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2, loader.loaded.get("v1").size());
    assertFalse(loader.last("v1").closed());
    assertEquals(VersionStats.Role.CURRENT, r.versions().get(0).role());
    assertEquals("v1", r.versions().get(0).version());
  }

  @Test
  void aSwapToAKeptVersionRacingItsIdleUnloadLoadsItAgain() throws Exception {
    FakeLoader loader = new FakeLoader();
    HookClock clock = new HookClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").keep(3)
        .idleUnload(Duration.ofMinutes(5)).clock(clock).build();
    r.load();
    r.swap("v2");
    r.swap("v3");
    clock.arm(() -> {
      clock.advance(Duration.ofMinutes(10));
      r.unloadIdle(); // v1 and v2: kept, unused
    });
    assertTrue(r.swap("v1").loaded());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      assertEquals("v1", within(pool.submit(() -> {
        try (Lease<FakeModel> lease = r.acquire()) {
          lease.get().use();
          return lease.version();
        }
      })));
    } finally {
      pool.shutdownNow();
    }
    assertFalse(loader.last("v1").closed());
  }

  @Test
  void aCloseWithoutLimitWaitsForTheLeaseInsteadOfForcingAtOnce() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.load();
    Lease<FakeModel> lease = r.acquire();
    // Duration.ofSeconds(Long.MAX_VALUE): "a duration past the nanosecond range means no limit".
    CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> r.close(Duration.ofSeconds(Long.MAX_VALUE)));
    while (r.state() != ResourceState.CLOSED) {
      Thread.sleep(1);
    }
    // A close that ignores its budget returns (false) at once; give it a moment to show it.
    assertThrows(TimeoutException.class, () -> closing.get(200, TimeUnit.MILLISECONDS));
    lease.get().use();
    lease.close();
    assertTrue(closing.get(60, TimeUnit.SECONDS));
    assertEquals(0, r.forcedUnloads());
    assertEquals(1, loader.last("v1").closes.get());
  }

  @Test
  void durationsWithoutLimitInTheBuilderNeverOverflow() throws Exception {
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1")
        .idleUnload(forever).leaseTimeout(forever).loadTimeout(forever).warmUpTimeout(forever)
        .acquireTimeout(forever).closeTimeout(forever).clock(new TestClock()).build();
    r.load();
    try (Lease<FakeModel> lease = r.acquire()) {
      r.swap("v2"); // schedules the idle sweep: its period comes from the idle time
      r.swap("v3"); // retires v1, still leased
      assertEquals(List.of(), r.unloadIdle());
      lease.get().use();
    }
    r.close(); // with the close timeout: no limit
    assertEquals(0, r.forcedUnloads());

    // A negative budget past the range: close now, forcing what is leased.
    ManagedResource<FakeModel> s = ManagedResource.builder("n", loader).initialVersion("w1").build();
    s.load();
    Lease<FakeModel> held = s.acquire();
    assertFalse(s.close(Duration.ofSeconds(Long.MIN_VALUE)));
    assertEquals(1, s.forcedUnloads());
    held.close();
  }

  @Test
  void aListenerThatThrowsAnErrorIsLoggedAndIgnoredByTheSwapAndTheUnload() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").keep(1).build();
    List<ResourceEvent.Kind> heard = new CopyOnWriteArrayList<>();
    r.addListener(e -> {
      throw new AssertionError("a listener's own assertion fails on " + e.kind());
    });
    r.addListener(e -> heard.add(e.kind()));
    r.load();
    SwapResult result = r.swap("v2"); // keep(1): v1 is unloaded on a thread of its own
    assertEquals("v2", result.version());
    while (!heard.contains(ResourceEvent.Kind.UNLOADED)) {
      Thread.sleep(1);
    }
    assertTrue(heard.containsAll(List.of(ResourceEvent.Kind.LOADED, ResourceEvent.Kind.SWAPPED)));
    // The unload thread survived the listener: close() sees v2's unload complete, without force.
    assertTrue(r.close(Duration.ofSeconds(60)));
    assertEquals(0, r.forcedUnloads());
  }

  @Test
  void twoClosesAtOnceBothSayThatALeasedVersionWasForced() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.load();
    Lease<FakeModel> lease = r.acquire(); // held through both closes
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> closes = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        closes.add(pool.submit(() -> {
          start.await();
          return r.close(Duration.ofMillis(50));
        }));
      }
      assertFalse(within(closes.get(0)), "the lease was held: not closed without force");
      assertFalse(within(closes.get(1)), "the lease was held: not closed without force");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, r.forcedUnloads());
    ManagedResourceTest.FakeModel v1 = loader.last("v1");
    while (!v1.closed()) {
      Thread.sleep(1);
    }
    lease.close();
    lease.close();
    assertEquals(1, v1.closes.get());
    assertEquals(0, r.leasesInUse());
  }

  /**
   * Users, a swapper (swaps and rollbacks), an idle sweeper with a clock that runs fast, and a
   * closer that closes and opens again, all at once: no lease ever sees a closed value, every
   * loaded value is closed exactly once in the end, and the counts add up.
   */
  @Test
  void racingAcquiresSwapsRollbacksIdleUnloadsAndClosesNeverUseAClosedValue() throws Exception {
    for (boolean lazyIdleCurrent : new boolean[] {false, true}) {
      FakeLoader loader = new FakeLoader();
      TestClock clock = new TestClock();
      ManagedResource.Builder<FakeModel> b = ManagedResource.builder("m", loader).initialVersion("v1")
          .idleUnload(Duration.ofMillis(1)).clock(clock);
      if (lazyIdleCurrent) {
        b.lazy().unloadCurrentWhenIdle();
      }
      ManagedResource<FakeModel> r = b.build();
      r.load();
      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      int users = 4;
      CountDownLatch ready = new CountDownLatch(users + 3);
      ExecutorService pool = Executors.newFixedThreadPool(users + 3);
      List<Future<?>> all = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        all.add(pool.submit(() -> {
          ready.countDown();
          while (!stop.get()) {
            try (Lease<FakeModel> lease = r.acquire()) {
              FakeModel m = lease.get();
              if (!m.version.equals(lease.version())) {
                errors.add(new AssertionError(m.version + " leased as " + lease.version()));
              }
              m.use();
            } catch (ResourceUnavailableException closedNow) {
              // the closer closed it: acquire refuses until it is opened again
            } catch (Throwable t) {
              errors.add(t);
            }
          }
        }));
      }
      all.add(pool.submit(() -> {
        ready.countDown();
        String[] versions = {"v1", "v2", "v3", "bad-v4", "v2"};
        for (int i = 0; !stop.get(); i++) {
          try {
            if (i % 3 == 2) {
              r.rollback();
            } else {
              r.swap(versions[i % versions.length]);
            }
          } catch (SwapFailedException expected) {
            // bad-v4, no previous version after an idle unload, or closed
          } catch (Throwable t) {
            errors.add(t);
          }
        }
      }));
      all.add(pool.submit(() -> {
        ready.countDown();
        while (!stop.get()) {
          clock.advance(Duration.ofMillis(2));
          try {
            r.unloadIdle();
          } catch (Throwable t) {
            errors.add(t);
          }
          Thread.yield();
        }
      }));
      all.add(pool.submit(() -> {
        ready.countDown();
        while (!stop.get()) {
          try {
            r.close(Duration.ofSeconds(30));
            r.load();
          } catch (SwapFailedException closedMeanwhile) {
            // a concurrent close won the race with this load
          } catch (Throwable t) {
            errors.add(t);
          }
          Thread.yield();
        }
      }));
      ready.await();
      // Until enough happened (counts, not time): swaps, unloads and closes on every side.
      while (errors.isEmpty() && (r.swaps() < 200 || r.unloads() < 200)) {
        Thread.sleep(5);
      }
      stop.set(true);
      for (Future<?> f : all) {
        within(f);
      }
      pool.shutdownNow();
      assertEquals(List.of(), errors, () -> errors.get(0).toString());
      assertTrue(r.close(Duration.ofSeconds(60)), "no lease is held any more: closed without force");
      assertEquals(0, r.forcedUnloads());
      assertEquals(0, r.leasesInUse());
      long values = loader.loaded.values().stream().mapToLong(List::size).sum();
      for (List<FakeModel> ms : loader.loaded.values()) {
        for (FakeModel m : ms) {
          while (!m.closed()) { // unloads run on threads of their own
            Thread.sleep(1);
          }
          assertEquals(1, m.closes.get(), m.version + " closed once");
        }
      }
      assertNotNull(r.toString());
      assertTrue(values >= 2);
    }
  }

  @Test
  void theAcquireTimeoutBoundsTheFirstCallerOfALazyLoadTooAndTheLoadGoesOnForTheNextOnes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loading = new CountDownLatch(1);
    FakeLoader fakes = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", version -> {
      loading.countDown();
      release.await(); // hangs until the test lets it go
      return fakes.load(version);
    }).initialVersion("v1").lazy().loadTimeout(Duration.ofHours(1)).acquireTimeout(Duration.ofMillis(100)).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // The first caller: "concurrent first callers wait for that one load, for at most acquireTimeout".
      Future<Object> first = pool.submit(() -> assertThrows(ResourceUnavailableException.class, r::acquire));
      loading.await();
      Future<Object> second = pool.submit(() -> assertThrows(ResourceUnavailableException.class, r::acquire));
      within(first);
      within(second);
      assertEquals(ResourceState.LOADING, r.state());
      release.countDown();
      while (r.state() != ResourceState.READY) { // the load went on, and ends
        Thread.sleep(1);
      }
      try (Lease<FakeModel> lease = r.acquire()) {
        assertEquals("v1", lease.version());
      }
      assertEquals(1, fakes.loads.get());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void anInterruptedFirstCallerAbandonsOnlyItsOwnWaitNotTheLoadTheOthersShare() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch loading = new CountDownLatch(1);
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", version -> {
      loading.countDown();
      release.await();
      return new FakeModel(version);
    }).initialVersion("v1").lazy().build();
    AtomicReference<Throwable> firstSaw = new AtomicReference<>();
    Thread first = new Thread(() -> {
      try (Lease<FakeModel> lease = r.acquire()) {
        firstSaw.set(new AssertionError("leased " + lease.version() + " although interrupted"));
      } catch (Throwable t) {
        firstSaw.set(t);
      }
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      first.start();
      loading.await();
      Future<String> second = pool.submit(() -> {
        try (Lease<FakeModel> lease = r.acquire()) {
          return lease.version();
        }
      });
      first.interrupt(); // a request's thread cancelled while it waits for the load
      first.join();
      assertTrue(firstSaw.get() instanceof ResourceUnavailableException, String.valueOf(firstSaw.get()));
      release.countDown();
      assertEquals("v1", within(second));
      assertEquals(0, r.failures(), "the load itself was not interrupted");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void blankVersionsAreRefusedBeforeAnyLoaderSeesThem() {
    FakeLoader loader = new FakeLoader();
    assertThrows(IllegalArgumentException.class, () -> ManagedResource.builder("m", loader).initialVersion(""));
    assertThrows(IllegalArgumentException.class, () -> ManagedResource.builder("m", loader).initialVersion(" "));
    assertThrows(NullPointerException.class, () -> ManagedResource.builder("m", loader).initialVersion(null));
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.load();
    assertThrows(IllegalArgumentException.class, () -> r.swap(""));
    assertThrows(IllegalArgumentException.class, () -> r.swap("\t"));
    assertThrows(NullPointerException.class, () -> r.swap(null));
    assertEquals(1, loader.loads.get());
    assertEquals("v1", r.currentVersion().orElseThrow());
    assertEquals(0, r.failures());
  }

  /** Runs a hook on the {@code n}th clock read of the thread that armed it. */
  static final class NthReadClock extends TestClock {
    volatile Thread armedBy;
    volatile int left;
    volatile Runnable hook;

    void arm(int n, Runnable r) {
      armedBy = Thread.currentThread();
      left = n;
      hook = r;
    }

    @Override
    public long millis() {
      if (Thread.currentThread() == armedBy && hook != null && --left == 0) {
        Runnable r = hook;
        hook = null;
        r.run();
      }
      return super.millis();
    }
  }

  @Test
  void aCloseRightAfterASwapSwitchedStillWaitsForAndForcesTheVersionTheSwapEvicted() throws Exception {
    FakeLoader loader = new FakeLoader();
    NthReadClock clock = new NthReadClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").keep(1).clock(clock).build();
    r.load();
    Lease<FakeModel> held = r.acquire(); // v1, evicted by the swap below (keep 1) while leased
    AtomicReference<Boolean> closedClean = new AtomicReference<>();
    Thread closer = new Thread(() -> closedClean.set(r.close(Duration.ofMillis(20))));
    // Clock reads of the swap, on this thread: the load's stamp, the switch's, then the eviction's
    // (which, fixed, is inside the lock of the switch). There a close starts on another thread, and
    // this thread gives it a moment to run: a close that gets in between the switch and the
    // eviction finds nothing to wait for and returns true, although v1 is leased.
    clock.arm(3, () -> {
      closer.start();
      try {
        closer.join(500); // not a bound the test relies on: a close blocked by the lock just waits
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    r.swap("v2");
    closer.join();
    assertEquals(Boolean.FALSE, closedClean.get(), "v1 was still leased: close had to force it");
    assertEquals(1, r.forcedUnloads());
    held.close();
  }

  @Test
  void aSwapWhoseCallerIsInterruptedDuringTheLoadFailsWithInterruptedAndTheLateValueIsUnloaded() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<FakeModel> made = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", version -> {
      if (version.equals("v2")) {
        loading.countDown();
        // A loader that ignores interrupts and returns late anyway.
        while (true) {
          try {
            release.await();
            break;
          } catch (InterruptedException ignored) {
            // keeps loading
          }
        }
      }
      FakeModel m = new FakeModel(version);
      made.add(m);
      return m;
    }).initialVersion("v1").build();
    r.load();
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread swapper = new Thread(() -> {
      try {
        outcome.set(r.swap("v2"));
      } catch (Throwable t) {
        outcome.set(t);
      }
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    });
    swapper.start();
    loading.await();
    swapper.interrupt();
    swapper.join();
    assertTrue(outcome.get() instanceof SwapFailedException, String.valueOf(outcome.get()));
    SwapFailedException e = (SwapFailedException) outcome.get();
    assertEquals(SwapFailedException.Reason.INTERRUPTED, e.reason());
    assertEquals("v1", e.currentVersion());
    assertTrue(stillInterrupted.get(), "the interrupt is kept for the caller");
    assertEquals("v1", r.currentVersion().orElseThrow());
    try (Lease<FakeModel> lease = r.acquire()) {
      lease.get().use();
    }
    release.countDown();
    while (made.size() < 2 || !made.get(1).closed()) { // the late v2 is unloaded by its load thread
      Thread.sleep(1);
    }
    assertFalse(made.get(0).closed());
    assertTrue(r.swap("v2").loaded(), "the swap lock was released: the next swap works");
  }

  @Test
  void aRollbackAfterTheCurrentVersionWasUnloadedWhenIdleReturnsToTheKeptOne() {
    FakeLoader loader = new FakeLoader();
    TestClock clock = new TestClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").lazy()
        .unloadCurrentWhenIdle().idleUnload(Duration.ofMinutes(5)).clock(clock).build();
    r.load();
    Lease<FakeModel> acrossTheSwap = r.acquire();
    r.swap("v2"); // v1 kept, still leased
    clock.advance(Duration.ofMinutes(6));
    acrossTheSwap.close(); // v1 used just now; v2 never used since its load 6 minutes ago
    assertEquals(List.of("v2"), r.unloadIdle());
    assertEquals(List.of("v1"), r.versions().stream().filter(v -> v.role() != VersionStats.Role.RETIRED)
        .map(VersionStats::version).collect(java.util.stream.Collectors.toList()));
    SwapResult back = r.rollback(); // "the previous version kept loaded": v1
    assertEquals("v1", back.version());
    assertFalse(back.loaded());
    assertEquals("v1", r.currentVersion().orElseThrow());
    assertEquals(2, loader.loads.get());
  }

  @Test
  void anUnloaderThatHangsPastTheCloseTimeoutIsAbandonedAndReportedAndCloseReturns() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    List<ResourceEvent> events = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", new FakeLoader()).initialVersion("v1")
        .unloader((value, version) -> never.await()).closeTimeout(Duration.ofMillis(50)).build();
    r.addListener(events::add);
    r.load();
    try {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        // A close with all the time in the world still ends: the unloader is abandoned after closeTimeout.
        within(pool.submit(() -> r.close(Duration.ofHours(1))));
      } finally {
        pool.shutdownNow();
      }
      assertEquals(ResourceState.CLOSED, r.state());
      assertEquals(1, r.unloads());
      ResourceEvent unloaded = events.stream().filter(e -> e.kind() == ResourceEvent.Kind.UNLOADED).findFirst()
          .orElseThrow();
      assertTrue(unloaded.error() != null && unloaded.error().contains("abandoned"), unloaded.toString());
      assertFalse(unloaded.forced());
    } finally {
      never.countDown();
    }
  }

  @Test
  void badBuilderValuesFailAtOnceAndAZeroCloseForcesWithoutWaiting() {
    FakeLoader loader = new FakeLoader();
    ManagedResource.Builder<FakeModel> b = ManagedResource.builder("m", loader);
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofSeconds(Long.MIN_VALUE))) {
      assertThrows(IllegalArgumentException.class, () -> b.loadTimeout(bad));
      assertThrows(IllegalArgumentException.class, () -> b.warmUpTimeout(bad));
      assertThrows(IllegalArgumentException.class, () -> b.closeTimeout(bad));
      assertThrows(IllegalArgumentException.class, () -> b.acquireTimeout(bad));
      assertThrows(IllegalArgumentException.class, () -> b.leaseTimeout(bad));
      assertThrows(IllegalArgumentException.class, () -> b.idleUnload(bad));
    }
    assertThrows(IllegalArgumentException.class, () -> b.keep(0));
    assertThrows(IllegalArgumentException.class, () -> b.keep(Integer.MIN_VALUE));
    assertThrows(IllegalArgumentException.class, () -> ManagedResource.builder(" ", loader));
    assertThrows(IllegalStateException.class,
        () -> ManagedResource.builder("m", loader).unloadCurrentWhenIdle().idleUnload(Duration.ofMinutes(1)).build());
    ManagedResource<FakeModel> r = b.initialVersion("v1").keep(Integer.MAX_VALUE).build();
    r.load();
    r.swap("v2");
    r.swap("v3");
    assertEquals(3, r.versions().size(), "keep(Integer.MAX_VALUE): all stay loaded");
    Lease<FakeModel> held = r.acquire();
    assertFalse(r.close(Duration.ZERO), "a zero close forces what is leased");
    assertEquals(1, r.forcedUnloads());
    held.close();
    ManagedResource<FakeModel> s = ManagedResource.builder("n", loader).initialVersion("w1").build();
    s.load();
    Lease<FakeModel> held2 = s.acquire();
    assertFalse(s.close(Duration.ofMillis(-5)));
    held2.close();
  }

  @Test
  void aListenerThatBlocksHoldsOnlyItsOwnThreadNeverTheResourcesLocks() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    AtomicBoolean once = new AtomicBoolean();
    r.addListener(e -> {
      if (e.kind() == ResourceEvent.Kind.SWAPPED && once.compareAndSet(false, true)) {
        inListener.countDown();
        try {
          letGo.await();
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }
    });
    r.load();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SwapResult> blocked = pool.submit(() -> r.swap("v2"));
      inListener.await();
      // The swap to v2 is done, its caller blocked in the listener: everything else goes on.
      try (Lease<FakeModel> lease = r.acquire()) {
        assertEquals("v2", lease.version());
      }
      assertEquals(ResourceState.READY, r.state());
      assertEquals(2, r.versions().size());
      assertEquals("v3", r.swap("v3").version()); // the swap lock is free
      assertEquals("v2", r.rollback().version());
      r.unloadIdle();
      assertFalse(blocked.isDone());
      letGo.countDown();
      assertEquals("v2", within(blocked).version());
      assertTrue(r.close(Duration.ofSeconds(60)));
    } finally {
      letGo.countDown();
      pool.shutdownNow();
    }
  }
}

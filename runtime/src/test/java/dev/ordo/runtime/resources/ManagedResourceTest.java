package dev.ordo.runtime.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManagedResourceTest {
  /** A model: knows whether it was closed, and fails a use after its close. */
  static final class FakeModel implements AutoCloseable {
    final String version;
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger uses = new AtomicInteger();

    FakeModel(String version) {
      this.version = version;
    }

    boolean closed() {
      return closes.get() > 0;
    }

    void use() {
      if (closed()) {
        throw new IllegalStateException(version + " used after its close");
      }
      uses.incrementAndGet();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  /** Loads FakeModels and remembers every one. */
  static final class FakeLoader implements ManagedResource.Loader<FakeModel> {
    final Map<String, List<FakeModel>> loaded = new ConcurrentHashMap<>();
    final AtomicInteger loads = new AtomicInteger();

    @Override
    public FakeModel load(String version) throws Exception {
      loads.incrementAndGet();
      if (version.startsWith("bad")) {
        throw new IllegalArgumentException("cannot parse " + version);
      }
      FakeModel m = new FakeModel(version);
      loaded.computeIfAbsent(version, v -> new CopyOnWriteArrayList<>()).add(m);
      return m;
    }

    FakeModel last(String version) {
      List<FakeModel> all = loaded.get(version);
      return all.get(all.size() - 1);
    }
  }

  static class TestClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000_000);

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }
  }

  private static void awaitClosed(FakeModel m) throws InterruptedException {
    // Unloads run on a thread of their own: wait for it (bounded by the test's own timeout).
    while (!m.closed()) {
      Thread.sleep(1);
    }
  }

  @Test
  void leasesTheInitialVersionLoadedOnFirstAcquire() {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").lazy().build();
    assertEquals(ResourceState.UNLOADED, r.state());
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v1", lease.version());
      assertEquals("v1", lease.get().version);
      assertEquals(1, r.versions().get(0).inUse());
    }
    assertEquals(ResourceState.READY, r.state());
    assertEquals(1, loader.loads.get());
    VersionStats stats = r.versions().get(0);
    assertEquals(VersionStats.Role.CURRENT, stats.role());
    assertEquals(1, stats.totalUses());
    assertEquals(0, stats.inUse());
  }

  @Test
  void aClosedLeaseRefusesItsValueAndClosesOnce() {
    ManagedResource<FakeModel> r = ManagedResource.builder("m", new FakeLoader()).initialVersion("v1").build();
    Lease<FakeModel> lease = r.acquire();
    lease.close();
    lease.close();
    assertThrows(IllegalStateException.class, lease::get);
    assertEquals(0, r.versions().get(0).inUse());
  }

  @Test
  void concurrentFirstAcquiresWaitForOneLoad() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", v -> {
      loads.incrementAndGet();
      release.await();
      return new FakeModel(v);
    }).initialVersion("v1").lazy().build();
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier start = new CyclicBarrier(n);
      List<Future<String>> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        got.add(pool.submit(() -> {
          start.await();
          try (Lease<FakeModel> lease = r.acquire()) {
            return lease.version();
          }
        }));
      }
      while (r.state() != ResourceState.LOADING) {
        Thread.sleep(1);
      }
      release.countDown();
      for (Future<String> f : got) {
        assertEquals("v1", f.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, loads.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentFirstAcquiresShareAFailedLoad() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", v -> {
      loads.incrementAndGet();
      release.await();
      throw new IllegalStateException("disk gone");
    }).initialVersion("v1").lazy().build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Throwable> first = pool.submit(() -> assertThrows(ResourceUnavailableException.class, r::acquire));
      while (r.state() != ResourceState.LOADING) {
        Thread.sleep(1);
      }
      Future<Throwable> second = pool.submit(() -> assertThrows(ResourceUnavailableException.class, r::acquire));
      while (((java.util.concurrent.ThreadPoolExecutor) pool).getActiveCount() < 2) {
        Thread.sleep(1);
      }
      release.countDown();
      assertTrue(first.get(30, TimeUnit.SECONDS).getMessage().contains("disk gone"));
      assertTrue(second.get(30, TimeUnit.SECONDS).getMessage().contains("disk gone"));
      assertEquals(ResourceState.UNLOADED, r.state());
      assertTrue(r.lastSwapError().orElseThrow().contains("disk gone"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSwapLoadsWarmsUpChecksAndThenSwitches() {
    FakeLoader loader = new FakeLoader();
    List<String> steps = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1")
        .warmUp((m, v) -> steps.add("warm " + v))
        .healthCheck((m, v) -> steps.add("check " + v))
        .build();
    r.load();
    SwapResult result = r.swap("v2");
    assertEquals("v1", result.previousVersion());
    assertEquals("v2", result.version());
    assertTrue(result.loaded());
    assertTrue(result.changed());
    assertEquals(List.of("warm v1", "check v1", "warm v2", "check v2"), steps);
    assertEquals("v2", r.currentVersion().orElseThrow());
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v2", lease.version());
    }
    // kept for rollback: loaded, not closed
    assertEquals(List.of("v2", "v1"), r.versions().stream().map(VersionStats::version).collect(Collectors.toList()));
    assertFalse(loader.last("v1").closed());
    assertEquals(1, r.swaps());
    assertEquals(2, r.loads());
  }

  @Test
  void aSwapToTheCurrentVersionChangesNothing() {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.load();
    SwapResult result = r.swap("v1");
    assertFalse(result.changed());
    assertFalse(result.loaded());
    assertEquals(1, loader.loads.get());
  }

  @Test
  void aLeaseHeldAcrossASwapFinishesOnItsVersionWhichIsUnloadedAfterIt() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").keep(1).build();
    Lease<FakeModel> held = r.acquire();
    r.swap("v2");
    FakeModel v1 = loader.last("v1");
    assertFalse(v1.closed(), "closed while a lease held it");
    held.get().use();
    assertEquals("v1", held.version());
    assertEquals(VersionStats.Role.RETIRED, r.versions().get(1).role());
    try (Lease<FakeModel> next = r.acquire()) {
      assertEquals("v2", next.version());
    }
    held.close();
    awaitClosed(v1);
    assertEquals(1, v1.closes.get());
    while (r.versions().size() != 1) {
      Thread.sleep(1);
    }
  }

  @Test
  void aFailingLoadLeavesTheCurrentVersionServing() {
    FakeLoader loader = new FakeLoader();
    List<ResourceEvent> events = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.addListener(events::add);
    r.load();
    SwapFailedException e = assertThrows(SwapFailedException.class, () -> r.swap("bad-1"));
    assertEquals(SwapFailedException.Reason.LOAD_FAILED, e.reason());
    assertEquals("v1", e.currentVersion());
    assertTrue(e.getMessage().contains("cannot parse bad-1"), e.getMessage());
    assertTrue(e.getMessage().contains("v1 keeps serving"), e.getMessage());
    assertTrue(e.getCause() instanceof IllegalArgumentException);
    assertEquals("v1", r.currentVersion().orElseThrow());
    assertEquals(e.getMessage(), r.lastSwapError().orElseThrow());
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v1", lease.version());
    }
    assertEquals(1, r.failures());
    assertEquals(List.of(ResourceEvent.Kind.LOADED, ResourceEvent.Kind.SWAP_FAILED),
        events.stream().map(ResourceEvent::kind).collect(Collectors.toList()));
    ResourceEvent failed = events.get(1);
    assertEquals("bad-1", failed.version());
    assertEquals("v1", failed.previousVersion());
    assertEquals(SwapFailedException.Reason.LOAD_FAILED, failed.reason());
    r.swap("v2");
    assertTrue(r.lastSwapError().isEmpty());
  }

  @Test
  void aHangingLoadTimesOutAndWhatItReturnsLateIsUnloaded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<FakeModel> made = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", v -> {
      if (v.equals("slow")) {
        // ignores interrupts, like a native load would
        while (true) {
          try {
            release.await();
            break;
          } catch (InterruptedException ignored) {
            // keep waiting
          }
        }
      }
      FakeModel m = new FakeModel(v);
      made.add(m);
      return m;
    }).initialVersion("v1").loadTimeout(Duration.ofMillis(50)).build();
    r.load();
    SwapFailedException e = assertThrows(SwapFailedException.class, () -> r.swap("slow"));
    assertEquals(SwapFailedException.Reason.LOAD_TIMED_OUT, e.reason());
    assertEquals("v1", r.currentVersion().orElseThrow());
    release.countDown();
    while (made.size() < 2) {
      Thread.sleep(1);
    }
    awaitClosed(made.get(1));
    assertFalse(made.get(0).closed());
  }

  @Test
  void aSlowWarmUpTimesOutAndItsVersionIsUnloadedOnlyWhenTheWarmUpEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean closedDuringWarmUp = new AtomicBoolean();
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1")
        .warmUp((m, v) -> {
          if (v.equals("v2")) {
            while (true) {
              try {
                release.await();
                break;
              } catch (InterruptedException ignored) {
                // keep warming
              }
            }
            closedDuringWarmUp.set(m.closed());
          }
        })
        .warmUpTimeout(Duration.ofMillis(50))
        .build();
    r.load();
    SwapFailedException e = assertThrows(SwapFailedException.class, () -> r.swap("v2"));
    assertEquals(SwapFailedException.Reason.WARM_UP_TIMED_OUT, e.reason());
    assertEquals("v1", r.currentVersion().orElseThrow());
    FakeModel v2 = loader.last("v2");
    assertFalse(v2.closed(), "unloaded while its warm-up still ran");
    release.countDown();
    awaitClosed(v2);
    assertFalse(closedDuringWarmUp.get());
  }

  @Test
  void aFailedWarmUpOrCheckFailsTheSwapAndUnloadsTheVersion() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1")
        .warmUp((m, v) -> {
          if (v.equals("cold")) {
            throw new IllegalStateException("no GPU");
          }
        })
        .healthCheck((m, v) -> !v.equals("sick"))
        .build();
    r.load();
    SwapFailedException warm = assertThrows(SwapFailedException.class, () -> r.swap("cold"));
    assertEquals(SwapFailedException.Reason.WARM_UP_FAILED, warm.reason());
    assertTrue(warm.getMessage().contains("no GPU"));
    assertTrue(loader.last("cold").closed());
    SwapFailedException sick = assertThrows(SwapFailedException.class, () -> r.swap("sick"));
    assertEquals(SwapFailedException.Reason.CHECK_FAILED, sick.reason());
    assertTrue(loader.last("sick").closed());
    assertEquals("v1", r.currentVersion().orElseThrow());
    assertEquals(2, r.failures());
  }

  @Test
  void rollbackReturnsToTheKeptVersionWithoutLoading() {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    SwapFailedException none = assertThrows(SwapFailedException.class, r::rollback);
    assertEquals(SwapFailedException.Reason.NO_PREVIOUS_VERSION, none.reason());
    r.load();
    r.swap("v2");
    SwapResult back = r.rollback();
    assertEquals("v2", back.previousVersion());
    assertEquals("v1", back.version());
    assertFalse(back.loaded());
    assertEquals(2, loader.loads.get());
    assertEquals("v1", r.currentVersion().orElseThrow());
    assertEquals("v2", r.rollback().version());
    assertEquals(2, loader.loads.get());
  }

  @Test
  void theKeepPolicyRetiresTheOldestVersion() throws Exception {
    FakeLoader loader = new FakeLoader();
    List<ResourceEvent> events = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.addListener(events::add);
    r.load();
    r.swap("v2");
    r.swap("v3");
    awaitClosed(loader.last("v1"));
    assertFalse(loader.last("v2").closed());
    while (events.stream().noneMatch(e -> e.kind() == ResourceEvent.Kind.UNLOADED)) {
      Thread.sleep(1);
    }
    ResourceEvent unloaded = events.stream().filter(e -> e.kind() == ResourceEvent.Kind.UNLOADED).findFirst()
        .orElseThrow();
    assertEquals("v1", unloaded.version());
    assertFalse(unloaded.forced());
    assertEquals(List.of("v3", "v2"), r.versions().stream().map(VersionStats::version).collect(Collectors.toList()));
  }

  @Test
  void aVersionUnusedForTheIdleTimeIsUnloadedButNotTheCurrentOne() throws Exception {
    FakeLoader loader = new FakeLoader();
    TestClock clock = new TestClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1")
        .idleUnload(Duration.ofMinutes(10))
        .clock(clock)
        .build();
    r.load();
    r.swap("v2");
    clock.advance(Duration.ofMinutes(5));
    assertEquals(List.of(), r.unloadIdle());
    clock.advance(Duration.ofMinutes(5));
    Lease<FakeModel> held = r.acquire();
    r.unloadIdle();
    awaitClosed(loader.last("v1"));
    assertFalse(loader.last("v2").closed());
    clock.advance(Duration.ofHours(1));
    r.unloadIdle();
    assertEquals("v2", held.version());
    held.close();
    assertEquals(List.of("v2"), r.versions().stream().map(VersionStats::version).collect(Collectors.toList()));
    assertFalse(loader.last("v2").closed());
  }

  @Test
  void aKeptVersionUsedRecentlyIsNotIdle() throws Exception {
    FakeLoader loader = new FakeLoader();
    TestClock clock = new TestClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1").idleUnload(Duration.ofMinutes(10)).clock(clock).build();
    r.load();
    Lease<FakeModel> held = r.acquire(); // v1
    r.swap("v2");
    clock.advance(Duration.ofMinutes(9));
    held.close(); // last used now
    clock.advance(Duration.ofMinutes(9));
    r.unloadIdle();
    assertFalse(loader.last("v1").closed());
    VersionStats v1 = r.versions().get(1);
    assertEquals(Instant.ofEpochMilli(clock.millis() - Duration.ofMinutes(9).toMillis()), v1.lastUsed());
    clock.advance(Duration.ofMinutes(1));
    r.unloadIdle();
    awaitClosed(loader.last("v1"));
  }

  @Test
  void aLazyResourceUnloadsItsCurrentVersionWhenIdleAndLoadsItAgain() throws Exception {
    FakeLoader loader = new FakeLoader();
    TestClock clock = new TestClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1").lazy().idleUnload(Duration.ofMinutes(1)).unloadCurrentWhenIdle().clock(clock).build();
    r.acquire().close();
    r.swap("v2");
    clock.advance(Duration.ofMinutes(2));
    List<String> unloaded = r.unloadIdle();
    assertTrue(unloaded.contains("v2"), unloaded.toString());
    assertEquals(ResourceState.UNLOADED, r.state());
    awaitClosed(loader.last("v2"));
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v2", lease.version()); // the version that served, not the initial one
    }
    assertEquals(3, loader.loads.get());
  }

  @Test
  void unloadCurrentWhenIdleNeedsALazyResource() {
    assertThrows(IllegalStateException.class, () -> ManagedResource.builder("m", new FakeLoader())
        .idleUnload(Duration.ofMinutes(1)).unloadCurrentWhenIdle().build());
    assertThrows(IllegalArgumentException.class, () -> ManagedResource.builder("m", new FakeLoader()).keep(0));
    assertThrows(IllegalArgumentException.class,
        () -> ManagedResource.builder("m", new FakeLoader()).loadTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> ManagedResource.builder(" ", new FakeLoader()));
  }

  @Test
  void closeWaitsForLeasesThenUnloadsEveryVersion() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.load();
    r.swap("v2");
    Lease<FakeModel> held = r.acquire();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> closing = pool.submit(() -> r.close(Duration.ofMinutes(5)));
      while (r.state() != ResourceState.CLOSED) {
        Thread.sleep(1);
      }
      awaitClosed(loader.last("v1"));
      assertFalse(loader.last("v2").closed(), "closed while leased");
      held.get().use();
      assertThrows(ResourceUnavailableException.class, r::acquire);
      held.close();
      assertTrue(closing.get(30, TimeUnit.SECONDS));
      assertTrue(loader.last("v2").closed());
      assertEquals(List.of(), r.versions());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeForceClosesWhatIsStillLeasedWhenItsTimeRunsOutAndReportsIt() throws Exception {
    FakeLoader loader = new FakeLoader();
    List<ResourceEvent> events = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.addListener(events::add);
    Lease<FakeModel> held = r.acquire();
    assertFalse(r.close(Duration.ofMillis(20)));
    awaitClosed(loader.last("v1"));
    while (events.stream().noneMatch(e -> e.kind() == ResourceEvent.Kind.UNLOADED)) {
      Thread.sleep(1);
    }
    ResourceEvent unloaded = events.get(events.size() - 1);
    assertTrue(unloaded.forced());
    assertTrue(unloaded.error().contains("leases still held"), unloaded.error());
    assertEquals(1, r.forcedUnloads());
    held.close(); // no second close
    assertEquals(1, loader.last("v1").closes.get());
  }

  @Test
  void aSwapDuringShutdownFailsAndUnloadsWhatItLoaded() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<FakeModel> made = new CopyOnWriteArrayList<>();
    ManagedResource<FakeModel> r = ManagedResource.<FakeModel>builder("m", v -> {
      if (v.equals("v2")) {
        loading.countDown();
        release.await();
      }
      FakeModel m = new FakeModel(v);
      made.add(m);
      return m;
    }).initialVersion("v1").build();
    r.load();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Throwable> swap = pool.submit(() -> assertThrows(SwapFailedException.class, () -> r.swap("v2")));
      loading.await();
      assertTrue(r.close(Duration.ofMinutes(1)));
      release.countDown();
      SwapFailedException e = (SwapFailedException) swap.get(30, TimeUnit.SECONDS);
      assertEquals(SwapFailedException.Reason.CLOSED, e.reason());
      awaitClosed(made.get(1));
      assertTrue(made.get(0).closed());
      SwapFailedException after = assertThrows(SwapFailedException.class, () -> r.swap("v3"));
      assertEquals(SwapFailedException.Reason.CLOSED, after.reason());
      assertThrows(ResourceUnavailableException.class, r::acquire);
      assertEquals(ResourceState.CLOSED, r.state());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loadAfterCloseOpensTheResourceAgain() {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").build();
    r.load();
    r.close();
    r.load();
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v1", lease.version());
    }
    assertEquals(2, loader.loads.get());
  }

  @Test
  void openAfterCloseLetsALazyResourceLoadAgainOnItsNextAcquire() {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v1").lazy().build();
    r.acquire().close();
    r.close();
    assertThrows(ResourceUnavailableException.class, r::acquire);
    r.open();
    assertEquals(ResourceState.UNLOADED, r.state());
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v1", lease.version());
    }
    assertEquals(2, loader.loads.get());
  }

  @Test
  void aResourceWithoutInitialVersionServesOnlyAfterASwap() {
    ManagedResource<FakeModel> r = ManagedResource.builder("m", new FakeLoader()).build();
    r.load(); // nothing to load
    ResourceUnavailableException e = assertThrows(ResourceUnavailableException.class, r::acquire);
    assertTrue(e.getMessage().contains("no initial version"), e.getMessage());
    r.swap("v7");
    try (Lease<FakeModel> lease = r.acquire()) {
      assertEquals("v7", lease.version());
    }
  }

  @Test
  void theUnloaderReplacesCloseAndItsFailureIsReported() throws Exception {
    List<String> unloaded = new CopyOnWriteArrayList<>();
    List<ResourceEvent> events = new CopyOnWriteArrayList<>();
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader)
        .initialVersion("v1")
        .keep(1)
        .unloader((m, v) -> {
          unloaded.add(v);
          throw new IllegalStateException("busy");
        })
        .build();
    r.addListener(events::add);
    r.load();
    r.swap("v2");
    while (events.stream().noneMatch(e -> e.kind() == ResourceEvent.Kind.UNLOADED)) {
      Thread.sleep(1);
    }
    assertEquals(List.of("v1"), unloaded);
    assertFalse(loader.last("v1").closed());
    ResourceEvent e = events.stream().filter(x -> x.kind() == ResourceEvent.Kind.UNLOADED).findFirst().orElseThrow();
    assertTrue(e.error().contains("busy"), e.error());
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheSwap() {
    ManagedResource<FakeModel> r = ManagedResource.builder("m", new FakeLoader()).initialVersion("v1").build();
    r.addListener(e -> {
      throw new IllegalStateException("listener bug");
    });
    r.load();
    assertEquals("v2", r.swap("v2").version());
  }

  @Test
  void racingAcquiresAndSwapsNeverUseAClosedVersion() throws Exception {
    FakeLoader loader = new FakeLoader();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", loader).initialVersion("v0").keep(1).build();
    r.load();
    int threads = 8;
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    AtomicLong uses = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        pool.submit(() -> {
          while (!stop.get()) {
            try (Lease<FakeModel> lease = r.acquire()) {
              FakeModel m = lease.get();
              m.use();
              Thread.yield();
              m.use();
              uses.incrementAndGet();
            } catch (Throwable e) {
              errors.add(e);
              return;
            }
          }
        });
      }
      for (int i = 1; i <= 300 && errors.isEmpty(); i++) {
        r.swap("v" + i);
      }
      stop.set(true);
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), errors);
    assertTrue(uses.get() > 0);
    // every retired version is unloaded once its leases ended, exactly once
    for (int i = 0; i < 300; i++) {
      FakeModel m = loader.last("v" + i);
      awaitClosed(m);
      assertEquals(1, m.closes.get(), "v" + i);
    }
    assertFalse(loader.last("v300").closed());
    long total = 0;
    for (VersionStats s : r.versions()) {
      total += s.inUse();
    }
    assertEquals(0, total);
  }

  @Test
  void usesAreCountedExactlyAcrossThreadsAndTheLastUseIsTimed() throws Exception {
    TestClock clock = new TestClock();
    ManagedResource<FakeModel> r = ManagedResource.builder("m", new FakeLoader()).initialVersion("v1").clock(clock)
        .build();
    r.load();
    int threads = 8;
    int each = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            r.acquire().close();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    VersionStats stats = r.versions().get(0);
    assertEquals((long) threads * each, stats.totalUses());
    assertEquals(0, stats.inUse());
    assertEquals(clock.instant(), stats.lastUsed());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(clock.instant().minus(Duration.ofMinutes(1)), r.versions().get(0).lastUsed(), "no use since");
    Lease<FakeModel> held = r.acquire();
    assertEquals(1, r.leasesInUse());
    held.close();
  }

  @Test
  void theResourceNamesItsVersionAndState() {
    ManagedResource<FakeModel> r = ManagedResource.builder("scoring", new FakeLoader()).initialVersion("v1").build();
    assertEquals("ManagedResource[scoring, UNLOADED]", r.toString());
    r.load();
    assertEquals("ManagedResource[scoring, READY v1]", r.toString());
    assertNull(r.versions().get(0).lastUsed());
  }
}

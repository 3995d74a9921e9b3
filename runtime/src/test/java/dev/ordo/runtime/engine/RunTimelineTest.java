package dev.ordo.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The run's record ({@link RunTimeline}) fed with chosen clock readings: times kept to the
 * microsecond in ints, a time past what an int of microseconds holds (35 minutes) kept exactly,
 * the outcome and the releasing component sharing one int, and ties within a microsecond on the
 * critical path.
 */
@Timeout(60)
class RunTimelineTest {
  /** An arbitrary reading of the monotonic clock, negative as {@link System#nanoTime()} may be. */
  private static final long ORIGIN = -7_000_000_123L;
  private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

  private ComponentGraph graph;
  private ComponentNode[] nodes;

  /** A chain: each component depends on the one before it. */
  private RunTimeline chain(int n) {
    List<LifecycleController<?>> controllers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ComponentDescriptor.Builder d = ComponentDescriptor.builder(Object.class).key("c" + i);
      if (i > 0) {
        d.dependsOn("c" + (i - 1));
      }
      controllers.add(new LifecycleController<>(d.build(), new Object()) {});
    }
    graph = ComponentGraph.of(controllers);
    nodes = new ComponentNode[n];
    for (int i = 0; i < n; i++) {
      nodes[i] = new ComponentNode(i, graph.controllers[i]);
    }
    RunTimeline timeline = new RunTimeline(n);
    timeline.begin(ORIGIN, AT);
    return timeline;
  }

  private static long at(Duration sinceOrigin) {
    return ORIGIN + sinceOrigin.toNanos();
  }

  private Timeline.Span start(RunTimeline t, int i) {
    return t.snapshot(graph, nodes).component("c" + i).orElseThrow().startup().orElseThrow();
  }

  @Test
  void timesAreKeptToTheMicrosecondRoundedDownSoTheirOrderHolds() {
    RunTimeline t = chain(1);
    t.ready(0, RunTimeline.START, ORIGIN + 1_999, -1);
    t.began(0, RunTimeline.START, ORIGIN + 2_000);
    t.ended(0, RunTimeline.START, ORIGIN + 2_999, Timeline.Outcome.OK);
    t.phase(RunTimeline.STARTUP_ENDED, ORIGIN + 2_999);
    Timeline.Span s = start(t, 0);
    assertEquals(Duration.ofNanos(1_000), s.ready());
    assertEquals(Optional.of(Duration.ofNanos(2_000)), s.began());
    assertEquals(Optional.of(Duration.ofNanos(2_000)), s.ended());
    assertEquals(Duration.ZERO, s.ran());
    assertEquals(Optional.of(Duration.ofNanos(2_000)), t.snapshot(graph, nodes).startupEnded(),
        "a phase is kept to the microsecond too, so that no hook seems to end after it");
    // A reading before the origin (another thread's clock read just before start()) is the origin.
    RunTimeline early = chain(1);
    early.ready(0, RunTimeline.START, ORIGIN - 5_000, -1);
    assertEquals(Duration.ZERO, start(early, 0).ready());
  }

  @Test
  void aStartLongerThanAnIntOfMicrosecondsIsKeptExactlyNeverWrappedOrCut() {
    long intMicros = Integer.MAX_VALUE; // 35 min 47.48 s
    Duration[] ends = {
        Duration.ofNanos((intMicros - 2) * 1000 + 999), // the last time an int slot holds
        Duration.ofNanos((intMicros - 1) * 1000), // the first one that does not
        Duration.ofNanos(intMicros * 1000 + 1),
        Duration.ofMinutes(36).plusNanos(123_456_789),
        Duration.ofHours(5),
        Duration.ofDays(400).plusNanos(7_001),
    };
    RunTimeline t = chain(ends.length);
    for (int i = 0; i < ends.length; i++) {
      t.ready(i, RunTimeline.START, at(Duration.ofMillis(i)), i == 0 ? -1 : i - 1);
      t.began(i, RunTimeline.START, at(Duration.ofMillis(i)));
      t.ended(i, RunTimeline.START, at(ends[i]), Timeline.Outcome.TIMED_OUT);
    }
    for (int i = 0; i < ends.length; i++) {
      Timeline.Span s = start(t, i);
      Duration expected = Duration.ofNanos(ends[i].toNanos() / 1000 * 1000);
      assertEquals(Optional.of(expected), s.ended(), "component " + i);
      assertEquals(expected.minus(Duration.ofMillis(i)), s.ran(), "component " + i);
      assertEquals(Timeline.Outcome.TIMED_OUT, s.outcome());
      assertEquals(i == 0 ? Optional.empty() : Optional.of("c" + (i - 1)), s.readyAfter());
    }
    List<String> all = new ArrayList<>();
    for (int i = 0; i < ends.length; i++) {
      all.add("c" + i);
    }
    assertEquals(all, t.snapshot(graph, nodes).criticalPath(), "the 400 days' end is the last");

    // The stop phase hours later, and a first health check (several threads may record it).
    t.ready(ends.length - 1, RunTimeline.STOP, at(Duration.ofHours(9)), -1);
    t.began(ends.length - 1, RunTimeline.STOP, at(Duration.ofHours(9).plusNanos(4_000)));
    t.ended(ends.length - 1, RunTimeline.STOP, at(Duration.ofHours(10)), Timeline.Outcome.OK);
    t.ready(0, RunTimeline.CHECK, at(Duration.ofHours(3)), -1);
    t.began(0, RunTimeline.CHECK, at(Duration.ofHours(3)));
    t.ended(0, RunTimeline.CHECK, at(Duration.ofHours(3).plusMillis(2)), Timeline.Outcome.FAILED);
    Timeline snapshot = t.snapshot(graph, nodes);
    Timeline.Span stop = snapshot.component("c" + (ends.length - 1)).orElseThrow().shutdown().orElseThrow();
    assertEquals(Duration.ofHours(9), stop.ready());
    assertEquals(Duration.ofHours(1).minusNanos(4_000), stop.ran());
    Timeline.Span check = snapshot.component("c0").orElseThrow().healthCheck().orElseThrow();
    assertEquals(Duration.ofMillis(2), check.ran());
    assertEquals(Timeline.Outcome.FAILED, check.outcome());
  }

  @Test
  void theOutcomeAndWhoMadeItReadyShareAnIntAndTheFirstEndWins() {
    RunTimeline t = chain(Timeline.Outcome.values().length + 1);
    for (Timeline.Outcome o : Timeline.Outcome.values()) {
      if (o == Timeline.Outcome.IN_PROGRESS) {
        continue;
      }
      int i = o.ordinal() + 1;
      t.ready(i, RunTimeline.START, at(Duration.ofMillis(1)), i - 1);
      assertFalse(t.hasEnded(i, RunTimeline.START));
      t.ended(i, RunTimeline.START, at(Duration.ofMillis(2)), o);
      t.ended(i, RunTimeline.START, at(Duration.ofMillis(3)), o == Timeline.Outcome.OK
          ? Timeline.Outcome.FAILED : Timeline.Outcome.OK);
      assertTrue(t.hasEnded(i, RunTimeline.START));
      Timeline.Span s = start(t, i);
      assertEquals(o, s.outcome());
      assertEquals(Optional.of(Duration.ofMillis(2)), s.ended(), "the first end's time");
      assertEquals(Optional.of("c" + (i - 1)), s.readyAfter());
    }
    assertTrue(t.snapshot(graph, nodes).component("c0").orElseThrow().startup().isEmpty(), "nothing recorded yet");
    t.ready(0, RunTimeline.START, at(Duration.ZERO), -1);
    t.began(0, RunTimeline.START, at(Duration.ofMillis(1)));
    Timeline.Span running = start(t, 0);
    assertEquals(Timeline.Outcome.IN_PROGRESS, running.outcome());
    assertTrue(running.ended().isEmpty());
    assertTrue(running.readyAfter().isEmpty());
  }

  @Test
  void endsWithinOneMicrosecondFollowTheGraphOnTheCriticalPath() {
    RunTimeline t = chain(4);
    long same = at(Duration.ofMillis(5));
    for (int i = 0; i < 4; i++) {
      t.ready(i, RunTimeline.START, same, i == 0 ? -1 : i - 1);
      t.began(i, RunTimeline.START, same);
      t.ended(i, RunTimeline.START, same + i, Timeline.Outcome.OK); // within one microsecond
    }
    for (int i = 3; i >= 0; i--) {
      t.ready(i, RunTimeline.STOP, same, i == 3 ? -1 : i + 1);
      t.began(i, RunTimeline.STOP, same);
      t.ended(i, RunTimeline.STOP, same + 3 - i, Timeline.Outcome.OK);
    }
    Timeline snapshot = t.snapshot(graph, nodes);
    assertEquals(List.of("c0", "c1", "c2", "c3"), snapshot.criticalPath());
    assertEquals(List.of("c3", "c2", "c1", "c0"), snapshot.shutdownCriticalPath());
  }

  @Test
  void racingFirstHealthChecksRecordOneConsistentSpan() throws Exception {
    RunTimeline t = chain(1);
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      // Half of them past what an int of microseconds holds: their times go to the wide slots.
      Duration base = k % 2 == 0 ? Duration.ofMillis(10 + k) : Duration.ofMinutes(40).plusMillis(k);
      Timeline.Outcome outcome = k % 3 == 0 ? Timeline.Outcome.OK : Timeline.Outcome.FAILED;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        t.ready(0, RunTimeline.CHECK, at(base), -1);
        t.began(0, RunTimeline.CHECK, at(base));
        t.ended(0, RunTimeline.CHECK, at(base.plusMillis(1)), outcome);
      });
      thread.start();
      all.add(thread);
    }
    go.countDown();
    for (Thread thread : all) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    Timeline.Span check = t.snapshot(graph, nodes).component("c0").orElseThrow().healthCheck().orElseThrow();
    assertTrue(check.outcome() == Timeline.Outcome.OK || check.outcome() == Timeline.Outcome.FAILED);
    // Each figure is one thread's, whole (a wide time is never mixed with another's int).
    List<Duration> bases = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      bases.add(k % 2 == 0 ? Duration.ofMillis(10 + k) : Duration.ofMinutes(40).plusMillis(k));
    }
    assertTrue(bases.contains(check.ready()), check.toString());
    assertTrue(bases.contains(check.began().orElseThrow()), check.toString());
    assertTrue(bases.contains(check.ended().orElseThrow().minusMillis(1)), check.toString());
  }
}

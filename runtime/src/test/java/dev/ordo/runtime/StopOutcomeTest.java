package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How each component's stop ended ({@link ComponentStatus#shutdownDuration()},
 * {@link ComponentStatus#shutdownFailure()}), kept apart from the running application's records
 * until something stops: absent while it runs, then in the statuses, the {@link ShutdownReport}
 * and the timeline alike, also when the budget cut the stop phase.
 */
@Timeout(60)
class StopOutcomeTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  private static ComponentStatus status(List<ComponentStatus> all, String name) {
    return all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void nothingIsRecordedWhileRunningAndEveryStopAfter() {
    Ordo app = Ordo.builder()
        .controller(script.component("db").build())
        .controller(script.component("api").dependsOn("db").onStop(c -> {
          Thread.sleep(5);
          return null;
        }).build())
        .build();
    app.start();
    for (ComponentStatus s : app.components()) {
      assertEquals(ComponentState.RUNNING, s.state());
      assertNotNull(s.startupDuration(), s.toString());
      assertNull(s.shutdownDuration(), s.toString());
      assertNull(s.shutdownFailure(), s.toString());
    }
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report.toString());
    for (List<ComponentStatus> all : List.of(app.components(), report.components())) {
      for (ComponentStatus s : all) {
        assertEquals(ComponentState.STOPPED, s.state());
        assertNotNull(s.shutdownDuration(), s.toString());
        assertNull(s.shutdownFailure(), s.toString());
      }
    }
    assertTrue(status(app.components(), "api").shutdownDuration().compareTo(Duration.ofMillis(5)) >= 0);
  }

  @Test
  void aStopPhaseCutByTheBudgetIsReportedAlikeInStatusesReportAndTimeline() {
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(2)) // long enough for the others to stop on a loaded machine
        .componentShutdownTimeout(Duration.ofSeconds(30))
        // base declares a stop hook: it waits for "hang", which the budget's end abandons.
        .controller(script.component("base").shutdownTimeout(Duration.ofSeconds(30)).build())
        .controller(script.component("hang").dependsOn("base").onStop(c -> {
          never.await();
          return null;
        }).build())
        .controller(script.component("failing").onStop(c -> {
          throw new IllegalStateException("flush failed");
        }).build())
        .controller(script.component("fine").build())
        .build();
    app.start();
    ShutdownReport report = app.stop();
    never.countDown();
    assertTrue(report.budgetExceeded(), report.toString());
    assertEquals(List.of("failing"), report.failed());
    assertTrue(report.abandoned().contains("hang"), report.toString());
    Timeline timeline = app.timeline();
    for (List<ComponentStatus> all : List.of(app.components(), report.components())) {
      ComponentStatus hang = status(all, "hang");
      assertEquals(ComponentState.STOPPED, hang.state());
      assertInstanceOf(HookTimeoutException.class, hang.shutdownFailure());
      assertNull(hang.shutdownDuration(), "abandoned: no duration");

      ComponentStatus failing = status(all, "failing");
      assertEquals(ComponentState.STOPPED, failing.state());
      assertEquals("flush failed", failing.shutdownFailure().getMessage());
      assertNotNull(failing.shutdownDuration());

      ComponentStatus fine = status(all, "fine");
      assertEquals(ComponentState.STOPPED, fine.state());
      assertNull(fine.shutdownFailure());
      assertNotNull(fine.shutdownDuration());

      // base was released only by hang's abandonment at the budget's end: never called, or
      // called in what was left of it. Status, report and timeline tell the same story.
      ComponentStatus base = status(all, "base");
      assertEquals(ComponentState.STOPPED, base.state());
      Timeline.Span baseStop = timeline.component("base").orElseThrow().shutdown().orElseThrow();
      if (report.abandoned().contains("base")) {
        assertInstanceOf(HookTimeoutException.class, base.shutdownFailure());
        assertNull(base.shutdownDuration());
        assertEquals(Timeline.Outcome.CANCELLED, baseStop.outcome(), baseStop.toString());
      } else {
        assertNull(base.shutdownFailure(), base.toString());
        assertNotNull(base.shutdownDuration());
        assertEquals(Timeline.Outcome.OK, baseStop.outcome(), baseStop.toString());
      }
      for (ComponentStatus s : all) {
        assertNull(s.failure(), "a stop failure is not a start failure: " + s);
        assertNotNull(s.startupDuration(), s.toString());
      }
    }
    Timeline.Span hangStop = timeline.component("hang").orElseThrow().shutdown().orElseThrow();
    assertEquals(Timeline.Outcome.CANCELLED, hangStop.outcome());
    assertTrue(hangStop.began().isPresent(), "its hook was called");
    assertEquals(Timeline.Outcome.FAILED,
        timeline.component("failing").orElseThrow().shutdown().orElseThrow().outcome());
    assertEquals(Timeline.Outcome.OK, timeline.component("fine").orElseThrow().shutdown().orElseThrow().outcome());
    for (Timeline.Component c : timeline.components()) {
      assertEquals(Timeline.Outcome.OK, c.startup().orElseThrow().outcome(), c.toString());
      Timeline.Span stop = c.shutdown().orElseThrow();
      assertTrue(stop.ended().orElseThrow().compareTo(timeline.shutdownEnded().orElseThrow()) <= 0, c.toString());
      assertTrue(stop.ready().compareTo(timeline.stopPhaseBegan().orElseThrow()) >= 0, c.toString());
    }
  }
}

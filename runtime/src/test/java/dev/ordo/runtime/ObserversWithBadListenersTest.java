package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report file, the timeline and the metric events do not depend on the application's
 * listeners: one that blocks forever and one that throws on every call change none of them, and
 * the stop keeps its budget. The 60 s bound is a liveness bound (a hang), not a measure of speed.
 */
class ObserversWithBadListenersTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  @Test
  void aBlockingAndAThrowingListenerDoNotHoldTheReportTheTimelineOrTheMetrics(@TempDir Path dir) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    LifecycleListener blocking = new LifecycleListener() {
      @Override
      public void applicationStateChanged(ApplicationState from, ApplicationState to) {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    LifecycleListener throwing = new LifecycleListener() {
      @Override
      public void applicationStateChanged(ApplicationState from, ApplicationState to) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void componentStateChanged(ComponentTransition transition) {
        throw new IllegalStateException("listener bug");
      }
    };
    Path file = dir.resolve("run.json");
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = Ordo.builder()
        .controller(script.component("db").build())
        .controller(script.component("api").dependsOn("db").build())
        .listener(blocking)
        .listener(throwing)
        .reportFile(file)
        .reportFormat(Timeline.Format.JSON)
        .events(EventOptions.defaults().sink(sink).metricsInterval(Duration.ofHours(1)))
        .shutdownTimeout(Duration.ofSeconds(2))
        .build();
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        app.start();
        assertEquals(ApplicationState.RUNNING, app.state());
        assertTrue(Files.exists(file), "written before start() returns");
        assertNotNull(sink.await(e -> !sink.ofType("dev.ordo.metric.recorded").isEmpty(), Duration.ofSeconds(30)));
        app.stop();
      });
      assertEquals(ApplicationState.STOPPED, app.state());
      JsonNode json = new ObjectMapper().readTree(Files.readString(file));
      assertFalse(json.get("phases").get("shutdownEnded").isNull(), json.toString());
      assertEquals(2, sink.ofType("dev.ordo.metric.recorded").size());
      assertTrue(app.timeline().shutdownDuration().isPresent());
    } finally {
      never.countDown();
    }
  }
}

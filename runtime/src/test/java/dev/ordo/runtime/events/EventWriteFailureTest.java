package dev.ordo.runtime.events;

import static dev.ordo.runtime.events.Parts.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** "Delivered" means written: a sink whose writes or flushes fail never reports its events delivered. */
@Timeout(60)
class EventWriteFailureTest {
  private static final Path DEV_FULL = Path.of("/dev/full");

  /** Strongly held: the log records of the events' delivery. */
  private final Logger log = Logger.getLogger(EventPublisher.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (records) {
        records.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private Level levelBefore;
  private boolean parentHandlersBefore;

  @BeforeEach
  void captureLogs() {
    levelBefore = log.getLevel();
    parentHandlersBefore = log.getUseParentHandlers();
    log.setLevel(Level.ALL); // the tests' logging.properties silences dev.ordo
    log.setUseParentHandlers(false);
    log.addHandler(capture);
  }

  @AfterEach
  void releaseLogs() {
    log.removeHandler(capture);
    log.setUseParentHandlers(parentHandlersBefore);
    log.setLevel(levelBefore);
  }

  private List<LogRecord> warningsAbout(String sink) {
    List<LogRecord> list = new ArrayList<>();
    synchronized (records) {
      for (LogRecord r : records) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue() && r.getMessage().contains(sink)
            && !r.getMessage().startsWith("Events: ")) {
          list.add(r);
        }
      }
    }
    return list;
  }

  private static EventPublisher publisher(EventSink... sinks) {
    EventOptions options = EventOptions.defaults().source("/test");
    for (EventSink sink : sinks) {
      options = options.sink(sink);
    }
    return new EventPublisher("test", options.resolve(new Properties(), Map.of()));
  }

  private static EventStats finish(EventPublisher p) {
    return p.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        System.nanoTime() + Duration.ofSeconds(10).toNanos());
  }

  @Test
  void aFileWhoseWritesFailReportsNothingDeliveredAndLogsOnce() throws Exception {
    assumeTrue(Files.isWritable(DEV_FULL), "needs /dev/full");
    JsonLinesEventSink full = JsonLinesEventSink.toFile(DEV_FULL);
    InMemoryEventSink memory = new InMemoryEventSink();
    EventPublisher p = publisher(full, memory);
    for (int i = 0; i < 100; i++) {
      p.publish("c", "tick", null, Map.of("i", i));
      if (i % 10 == 0) {
        Thread.sleep(2); // let the sink catch up and flush now and then: each flush fails
      }
    }
    EventStats stats = finish(p);
    EventStats.SinkStats file = stats.sinks().get(0);
    assertEquals(101, stats.published(), "100 events and application.stopped");
    assertEquals(0, file.delivered(), "nothing reached /dev/full: " + stats);
    assertEquals(101, file.failed(), stats.toString());
    assertEquals(0, file.dropped() + file.pending(), stats.toString());
    assertEquals(101, stats.sinks().get(1).delivered(), "the other sink is not affected");
    assertFalse(stats.lossless());
    List<LogRecord> warnings = warningsAbout(full.name());
    assertEquals(1, warnings.size(), "logged once, not per event or per flush: " + messages(warnings));
    assertTrue(warnings.get(0).getThrown() instanceof IOException, "with its cause");
  }

  @Test
  void anApplicationWritingToAFullDiskIsNotLossless() throws Exception {
    assumeTrue(Files.isWritable(DEV_FULL), "needs /dev/full");
    Ordo app = Ordo.builder()
        .controller(part("a"))
        .controller(part("b", "a"))
        .events(EventOptions.defaults().file(DEV_FULL))
        .build();
    app.start();
    app.events().operation("b", "work").run(null, () -> {});
    app.stop();
    EventStats stats = app.events().stats();
    EventStats.SinkStats file = stats.sinks().get(0);
    assertEquals(0, file.delivered(), stats.toString());
    assertEquals(stats.published(), file.failed(), stats.toString());
    assertFalse(stats.lossless(), stats.toString());
    assertEquals(1, warningsAbout(file.name()).size(), messages(warningsAbout(file.name())).toString());
  }

  /** Buffers like a batching client; its flush fails while {@code failing}. */
  private static final class BatchingSink implements EventSink {
    final List<Event> batch = new ArrayList<>();
    final List<Event> written = new ArrayList<>();
    volatile boolean failing;

    @Override
    public void deliver(Event event) {
      batch.add(event);
    }

    @Override
    public void flush() throws IOException {
      try {
        if (failing) {
          throw new IOException("broker unavailable");
        }
        written.addAll(batch);
      } finally {
        batch.clear();
      }
    }
  }

  @Test
  void theFlushDecidesForTheEventsItBuffered() throws Exception {
    BatchingSink sink = new BatchingSink();
    EventPublisher p = publisher(sink);
    sink.failing = true;
    for (int i = 0; i < 30; i++) {
      p.publish("c", "lost", null, Map.of("i", i));
    }
    assertTrue(p.flush(Duration.ofSeconds(10)));
    EventStats.SinkStats during = p.stats().sinks().get(0);
    assertEquals(0, during.delivered(), during.toString());
    assertEquals(30, during.failed(), during.toString());
    sink.failing = false;
    for (int i = 0; i < 20; i++) {
      p.publish("c", "kept", null, Map.of("i", i));
    }
    EventStats stats = finish(p);
    EventStats.SinkStats after = stats.sinks().get(0);
    assertEquals(21, after.delivered(), "20 events and application.stopped: " + stats);
    assertEquals(30, after.failed());
    assertEquals(21, sink.written.size());
    assertEquals(List.of(), sink.written.stream().filter(e -> e.type().endsWith(".lost")).toList());
    assertFalse(stats.lossless());
  }

  @Test
  void aFileThatWorksIsLosslessAndHoldsWholeLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/events.jsonl");
    EventPublisher p = publisher(JsonLinesEventSink.toFile(file));
    for (int i = 0; i < 1_000; i++) {
      p.publish("c", "tick", null, Map.of("i", i, "text", "line\nbreak \"quoted\" é"));
    }
    EventStats stats = finish(p);
    assertTrue(stats.lossless(), stats.toString());
    List<String> lines = Files.readAllLines(file);
    assertEquals(1_001, lines.size());
    assertTrue(lines.get(1_000).contains("\"type\":\"dev.ordo.application.stopped\""), lines.get(1_000));
  }

  private static List<String> messages(List<LogRecord> records) {
    List<String> list = new ArrayList<>();
    for (LogRecord r : records) {
      list.add(r.getMessage());
    }
    return list;
  }
}

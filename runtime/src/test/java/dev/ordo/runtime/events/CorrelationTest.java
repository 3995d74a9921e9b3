package dev.ordo.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ShutdownReason;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The correlation id: current inside an operation, inherited by nested ones, passed across threads. */
class CorrelationTest {
  private final InMemoryEventSink sink = new InMemoryEventSink();
  private final EventPublisher events = new EventPublisher("test",
      EventOptions.defaults().sink(sink).resolve(new Properties(), Map.of()));
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private List<Event> finish() {
    events.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        System.nanoTime() + Duration.ofSeconds(10).toNanos());
    return sink.events();
  }

  @Test
  void theIdIsCurrentInsideAndNestedOperationsInheritIt() throws Exception {
    Operation checkout = events.operation("shop", "checkout");
    Operation reserve = events.operation("stock", "reserve");
    AtomicReference<String> inner = new AtomicReference<>();
    assertNull(Correlation.current());
    String result = checkout.call("order-17", () -> {
      assertEquals("order-17", Correlation.current());
      reserve.run(null, () -> inner.set(Correlation.current()));
      reserve.run("explicit", () -> assertEquals("explicit", Correlation.current()));
      assertEquals("order-17", Correlation.current(), "restored after a nested operation with its own id");
      return "done";
    });
    assertEquals("done", result);
    assertEquals("order-17", inner.get());
    assertNull(Correlation.current(), "restored after the operation");
    List<Event> all = finish();
    assertEquals(List.of("order-17", "order-17", "order-17", "explicit", "explicit", "order-17"),
        all.subList(0, 6).stream().map(Event::correlationId).toList());
    assertEquals(List.of("dev.ordo.checkout.started", "dev.ordo.reserve.started", "dev.ordo.reserve.completed",
        "dev.ordo.reserve.started", "dev.ordo.reserve.completed", "dev.ordo.checkout.completed"),
        all.subList(0, 6).stream().map(Event::type).toList());
  }

  @Test
  void withoutAnIdAnOperationGetsANewOne() {
    events.operation("shop", "checkout").run(null, () -> {
      assertNotNull(Correlation.current());
      assertTrue(Correlation.current().matches("[0-9a-f]{32}"), Correlation.current());
    });
  }

  @Test
  void theIdIsPassedAcrossThreadsExplicitly() throws Exception {
    AtomicReference<String> onPool = new AtomicReference<>();
    AtomicReference<String> unwrapped = new AtomicReference<>("unset");
    events.operation("shop", "checkout").call("c-1", () -> {
      pool.submit(Correlation.wrap(() -> onPool.set(Correlation.current()))).get();
      pool.submit(() -> unwrapped.set(Correlation.current())).get();
      return null;
    });
    assertEquals("c-1", onPool.get());
    assertNull(unwrapped.get(), "threads do not inherit it");
    assertEquals("c-3", Correlation.call("c-3", Correlation::current));
  }

  @Test
  void aFailureIsPublishedAndRethrownUnchanged() {
    IOException boom = new IOException("disk full");
    IOException thrown = assertThrows(IOException.class,
        () -> events.operation("shop", "export").call("e-1", () -> {
          throw boom;
        }));
    assertSame(boom, thrown);
    Event failed = finish().get(1);
    assertEquals("dev.ordo.export.failed", failed.type());
    assertEquals("java.io.IOException", failed.get("errorType"));
    assertEquals("disk full", failed.get("errorMessage"));
    assertEquals("e-1", failed.correlationId());
  }

  @Test
  void anAsynchronousRunEndsOnceWhenItsStageCompletes() throws Exception {
    AtomicReference<String> observed = new AtomicReference<>();
    events.addOperationObserver((component, operation, nanos, failure) ->
        observed.set(component + "." + operation + (failure == null ? " ok" : " " + failure.getMessage())));
    Operation.Run run = events.operation("shop", "ship").begin("s-1");
    CompletableFuture<String> stage = new CompletableFuture<>();
    assertSame(stage, run.track(stage));
    stage.completeExceptionally(new IllegalStateException("no courier"));
    run.completed(); // ignored: the run already ended
    assertEquals("shop.ship no courier", observed.get());
    List<Event> all = finish();
    assertEquals(List.of("dev.ordo.ship.started", "dev.ordo.ship.failed", "dev.ordo.application.stopped"),
        all.stream().map(Event::type).toList());
    assertEquals("s-1", all.get(1).correlationId());
  }
}

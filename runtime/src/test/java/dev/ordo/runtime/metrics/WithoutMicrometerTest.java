package dev.ordo.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs in the surefire execution {@code without-micrometer}, whose class path has no Micrometer:
 * the runtime, events included, works unchanged.
 */
@EnabledIfSystemProperty(named = "ordo.test.without-micrometer", matches = "true")
class WithoutMicrometerTest {
  record Part(String name) {}

  @Test
  void theRuntimeRunsWithoutMicrometerOnTheClassPath() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micrometer.core.instrument.MeterRegistry"));
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = Ordo.builder()
        .controller(new LifecycleController<>(ComponentDescriptor.builder(Part.class).key("a").build(), new Part("a")) {})
        .events(EventOptions.defaults().sink(sink))
        .build();
    app.start();
    assertEquals(5, (int) app.events().operation("a", "op").call(null, () -> 5));
    app.stop();
    assertEquals("dev.ordo.application.stopped", sink.events().get(sink.size() - 1).type());
    assertEquals(app.events().stats().published(), sink.size());
  }
}

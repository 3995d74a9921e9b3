package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordo's JDK Flight Recorder events, recorded in-process with {@link Recording} and read back with
 * {@link RecordingFile}: every hook execution, transition, health check run, the drain and each
 * shutdown phase, with their fields.
 */
class FlightRecorderTest {
  private static final List<String> EVENTS =
      List.of("dev.ordo.Hook", "dev.ordo.Transition", "dev.ordo.HealthCheck", "dev.ordo.Drain", "dev.ordo.ShutdownPhase");

  @Test
  void everyHookTransitionCheckDrainAndShutdownPhaseIsAnEvent(@TempDir Path dir) throws Exception {
    ScriptedController.Script script = new ScriptedController.Script();
    CountDownLatch checked = new CountDownLatch(1);
    ComponentDescriptor d = ComponentDescriptor.builder(ScriptedController.Key.class).key("checked")
        .critical().onStartup("open", null).healthCheck("ping", "ping", null, null).build();
    LifecycleController<ScriptedController.Key> withCheck =
        new LifecycleController<>(d, new ScriptedController.Key("checked")) {
          @Override
          public Health check(int index, LifecycleContext context) {
            checked.countDown();
            return Health.up();
          }
        };
    Path file = dir.resolve("ordo.jfr");
    try (Recording recording = new Recording()) {
      for (String name : EVENTS) {
        recording.enable(name).withThreshold(Duration.ZERO);
      }
      recording.start();
      Ordo app = Ordo.builder()
          .controller(withCheck)
          .controller(script.component("store").dependsOn("checked").onStart(c -> {
            Thread.sleep(20);
            return null;
          }).build())
          .controller(script.component("flaky").onStart(c -> ScriptedController.fail("boom")).build())
          .controller(script.component("slow").startupTimeout(Duration.ofMillis(50)).onStart(c -> {
            Thread.sleep(10_000);
            return null;
          }).build())
          .build();
      app.start();
      assertTrue(checked.await(30, TimeUnit.SECONDS));
      app.stop();
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    for (String name : EVENTS) {
      assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals(name)), name + " missing");
    }
    for (RecordedEvent e : events) {
      if (e.getEventType().getName().startsWith("dev.ordo.")) {
        assertEquals(List.of("Ordo"), e.getEventType().getCategoryNames(), e.toString());
      }
    }
    List<String> hooks = of(events, "dev.ordo.Hook").stream()
        .map(e -> e.getString("component") + " " + e.getString("phase") + " " + e.getString("outcome"))
        .collect(Collectors.toList());
    assertTrue(hooks.contains("checked STARTUP OK"), hooks.toString());
    assertTrue(hooks.contains("store STARTUP OK"), hooks.toString());
    assertTrue(hooks.contains("flaky STARTUP FAILED"), hooks.toString());
    assertTrue(hooks.contains("slow STARTUP TIMED_OUT"), hooks.toString());
    assertTrue(hooks.contains("store SHUTDOWN OK"), hooks.toString());
    assertTrue(hooks.contains("checked SHUTDOWN OK"), hooks.toString());
    RecordedEvent store = of(events, "dev.ordo.Hook").stream()
        .filter(e -> "store".equals(e.getString("component")) && "STARTUP".equals(e.getString("phase")))
        .findFirst().orElseThrow();
    assertTrue(store.getDuration().compareTo(Duration.ofMillis(20)) >= 0, "the hook's own duration: " + store);
    RecordedEvent flaky = of(events, "dev.ordo.Hook").stream()
        .filter(e -> "flaky".equals(e.getString("component"))).findFirst().orElseThrow();
    assertEquals(IllegalStateException.class.getName(), flaky.getString("error"));

    Set<String> transitions = of(events, "dev.ordo.Transition").stream()
        .map(e -> e.getString("component") + ":" + e.getString("from") + "->" + e.getString("to"))
        .collect(Collectors.toSet());
    assertTrue(transitions.containsAll(Set.of("store:PENDING->STARTING", "store:STARTING->RUNNING",
        "store:RUNNING->STOPPING", "store:STOPPING->STOPPED", "flaky:STARTING->FAILED", ":NEW->STARTING",
        ":STARTING->RUNNING", ":RUNNING->DRAINING", ":DRAINING->STOPPING", ":STOPPING->STOPPED")), transitions.toString());

    RecordedEvent check = of(events, "dev.ordo.HealthCheck").get(0);
    assertEquals("checked", check.getString("component"));
    assertEquals("UP", check.getString("status"));
    assertTrue(check.getString("check").contains("ping"), check.toString());

    RecordedEvent drain = of(events, "dev.ordo.Drain").get(0);
    assertEquals(0L, drain.getLong("inFlightAtStart"));
    assertEquals(0L, drain.getLong("inFlightAtEnd"));
    Set<String> phases = of(events, "dev.ordo.ShutdownPhase").stream()
        .map(e -> e.getString("phase") + " " + e.getString("reason")).collect(Collectors.toSet());
    assertTrue(phases.containsAll(Set.of("SHUTDOWN MANUAL", "DRAIN MANUAL", "STOP MANUAL")), phases.toString());
  }

  @Test
  void aFailedStartupsRollbackAndThePreStopDelayAreEventsToo(@TempDir Path dir) throws Exception {
    ScriptedController.Script script = new ScriptedController.Script();
    Path file = dir.resolve("rollback.jfr");
    try (Recording recording = new Recording()) {
      for (String name : EVENTS) {
        recording.enable(name).withThreshold(Duration.ZERO);
      }
      recording.start();
      Ordo failing = Ordo.builder()
          .controller(script.component("base").build())
          .controller(script.component("broken").critical().dependsOn("base")
              .onStart(c -> ScriptedController.fail("no")).build())
          .build();
      assertThrows(StartupFailedException.class, failing::start);
      Ordo delayed = Ordo.builder().controller(script.component("lone").build())
          .shutdownDelay(Duration.ofMillis(20)).build();
      delayed.start();
      delayed.stop();
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    Set<String> phases = of(events, "dev.ordo.ShutdownPhase").stream()
        .map(e -> e.getString("phase") + " " + e.getString("reason")).collect(Collectors.toSet());
    assertTrue(phases.containsAll(Set.of("SHUTDOWN STARTUP_FAILURE", "STOP STARTUP_FAILURE", "DELAY MANUAL")),
        phases.toString());
    List<String> hooks = of(events, "dev.ordo.Hook").stream()
        .map(e -> e.getString("component") + " " + e.getString("phase") + " " + e.getString("outcome"))
        .collect(Collectors.toList());
    assertTrue(hooks.containsAll(List.of("base STARTUP OK", "broken STARTUP FAILED", "base SHUTDOWN OK")), hooks.toString());
    Set<String> transitions = of(events, "dev.ordo.Transition").stream()
        .map(e -> e.getString("component") + ":" + e.getString("to")).collect(Collectors.toSet());
    assertTrue(transitions.containsAll(Set.of("broken:FAILED", "base:STOPPED", ":FAILED")), transitions.toString());
  }

  private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
    List<RecordedEvent> list = new ArrayList<>();
    for (RecordedEvent e : events) {
      if (e.getEventType().getName().equals(name)) {
        list.add(e);
      }
    }
    return list;
  }
}

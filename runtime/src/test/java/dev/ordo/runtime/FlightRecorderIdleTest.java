package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without a recording, Ordo's Flight Recorder events cost no startup: in a JVM where JFR was never
 * started, a whole start and stop loads none of the event classes and does not initialize JFR
 * (which, on JDK 17, the first event class would do, for hundreds of milliseconds). Checked in a
 * JVM of its own, from its class-loading log.
 */
class FlightRecorderIdleTest {
  /** The child JVM: one application started and stopped. */
  public static void main(String[] args) {
    ScriptedController.Script script = new ScriptedController.Script();
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    app.start();
    app.stop();
    System.out.println("lifecycle done: " + app.state());
  }

  @Test
  void noEventClassIsLoadedWhileNoRecordingRuns() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
        "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
        FlightRecorderIdleTest.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("lifecycle done: STOPPED"), out);
    assertTrue(out.contains("dev.ordo.runtime.engine.FlightRecorderEvents "), "the gate itself is loaded");
    for (String unwanted : List.of("FlightRecorderEvents$", "jdk.jfr.Event ", "jdk.jfr.internal.MetadataRepository")) {
      assertFalse(out.lines().anyMatch(l -> l.contains(unwanted)), unwanted + " was loaded");
    }
  }
}

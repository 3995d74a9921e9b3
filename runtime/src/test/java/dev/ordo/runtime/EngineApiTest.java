package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests of issue 10 that need API the engine rework adds:
 * {@link StartupFailedException#rollbackReport()}. Kept apart so that the other engine tests
 * compile and run against the engine as it was.
 */
@Timeout(60)
class EngineApiTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  @Test
  void aRollbackThatAbandonedAStopOffersItsReport() {
    // Defect 8: StartupFailedException carries the rollback's ShutdownReport, which names what
    // the rollback had to abandon.
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(1))
        .controller(script.component("stuck").shutdownTimeout(Duration.ofSeconds(30)).onStop(c -> {
          never.await();
          return null;
        }).build())
        .controller(script.component("bad").critical().dependsOn("stuck")
            .onStart(c -> ScriptedController.fail("no connection")).build())
        .build();
    try {
      StartupFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> assertThrows(StartupFailedException.class, app::start));
      ShutdownReport rollback = e.rollbackReport();
      assertNotNull(rollback);
      assertEquals(ShutdownReason.STARTUP_FAILURE, rollback.reason());
      assertFalse(rollback.abandoned().isEmpty(), rollback::toString);
      assertTrue(rollback.abandoned().contains("stuck"), rollback::toString);
      assertFalse(e.getMessage().contains("every started component was stopped"), e.getMessage());
    } finally {
      never.countDown();
    }
  }

  @Test
  void aCleanRollbackOffersItsReportToo() {
    // Defect 8: the report is there when the rollback stopped everything in time.
    Ordo app = Ordo.builder()
        .controller(script.component("base").build())
        .controller(script.component("bad").critical().dependsOn("base")
            .onStart(c -> ScriptedController.fail("no connection")).build())
        .build();
    StartupFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> assertThrows(StartupFailedException.class, app::start));
    ShutdownReport rollback = e.rollbackReport();
    assertNotNull(rollback);
    assertEquals(ShutdownReason.STARTUP_FAILURE, rollback.reason());
    assertEquals(List.of(), rollback.abandoned(), rollback::toString);
    assertTrue(script.journal.contains("stop base"), script.journal::toString);
  }
}

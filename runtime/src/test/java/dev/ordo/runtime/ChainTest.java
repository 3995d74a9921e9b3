package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing recurses in proportion to the graph's depth: Spring 6.2 overflows its stack here. */
@Timeout(120)
class ChainTest {
  private static final int LENGTH = 10_000;

  @Test
  void chainOfTenThousandStartsAndStopsInOrder() {
    ScriptedController.Script script = new ScriptedController.Script();
    Ordo.Builder b = Ordo.builder();
    for (int i = 0; i < LENGTH; i++) {
      ScriptedController.Script.Spec s = script.component("c" + i);
      if (i > 0) {
        s.dependsOn("c" + (i - 1));
      }
      b.controller(s.build());
    }
    Ordo app = b.build();
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.stop().clean());
    assertEquals(2 * LENGTH, script.journal.size());
    for (int i = 0; i < LENGTH; i++) {
      assertEquals("start c" + i, script.journal.get(i));
      assertEquals("stop c" + (LENGTH - 1 - i), script.journal.get(LENGTH + i));
    }
  }

  @Test
  void failureAtTheHeadSkipsTenThousandWithoutRecursion() {
    ScriptedController.Script script = new ScriptedController.Script();
    Ordo.Builder b = Ordo.builder();
    for (int i = 0; i < LENGTH; i++) {
      ScriptedController.Script.Spec s = script.component("c" + i);
      if (i == 0) {
        s.onStart(c -> { throw new IllegalStateException("head fails"); });
      } else {
        s.dependsOn("c" + (i - 1));
      }
      b.controller(s.build());
    }
    Ordo app = b.build();
    app.start();
    assertEquals(ComponentState.SKIPPED, app.components().get(LENGTH - 1).state());
    app.stop();
  }
}

package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backoff's arithmetic and the setting's grammar. */
class RetryPolicyTest {
  private static final RetryPolicy DECLARED =
      RetryPolicy.backoff(Duration.ofMillis(500), Duration.ofSeconds(30)).attempts(7);

  @Test
  void delaysDoubleFromInitialUpToMax() {
    RetryPolicy p = RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    List<Duration> delays = new ArrayList<>();
    for (int attempt = 1; attempt <= 8; attempt++) {
      delays.add(p.delay(attempt));
    }
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
        Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofMinutes(1), Duration.ofMinutes(1)), delays);
    assertEquals(Duration.ofMinutes(1), p.delay(Integer.MAX_VALUE), "no overflow however many attempts");
    RetryPolicy forever = RetryPolicy.backoff(Duration.ofMillis(1), Durations.LONGEST);
    assertEquals(Durations.LONGEST, forever.delay(Integer.MAX_VALUE), "no overflow however long max is");
    assertThrows(IllegalArgumentException.class, () -> p.delay(0));
  }

  @Test
  void aPolicyIsCheckedWhenMade() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.backoff(Duration.ofMinutes(1), Duration.ofSeconds(10)));
    assertEquals("The longest delay of a retry (max 10s) is shorter than the first (initial 1m)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().attempts(-1));
    assertThrows(IllegalStateException.class, () -> RetryPolicy.none().attempts(3));
    assertFalse(RetryPolicy.none().enabled());
    assertTrue(RetryPolicy.defaults().enabled());
    assertEquals(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), RetryPolicy.defaults());
  }

  @Test
  void theSettingsGrammar() {
    assertSame(RetryPolicy.none(), RetryPolicy.parse(" off ", DECLARED));
    assertEquals(DECLARED, RetryPolicy.parse("on", DECLARED), "on: the component's own");
    assertEquals(RetryPolicy.defaults(), RetryPolicy.parse("on", RetryPolicy.none()), "on: else the defaults");
    assertEquals(RetryPolicy.backoff(Duration.ofSeconds(2), Duration.ofSeconds(30)).attempts(7),
        RetryPolicy.parse("initial=2s", DECLARED), "what is not given keeps the component's own");
    assertEquals(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).attempts(3),
        RetryPolicy.parse("attempts=3", RetryPolicy.none()), "else the defaults");
    assertEquals(RetryPolicy.backoff(Duration.ofMillis(250), Duration.ofHours(1)),
        RetryPolicy.parse("  max = 1h ,initial=250ms, attempts=0 ", DECLARED));
    for (String bad : List.of("", "yes", "initial", "initial=", "initial=1.5s", "initial=0s", "initial=1s,",
        "initial=1s, initial=2s", "delay=1s", "attempts=-1", "attempts=x", "attempts=9999999999",
        "initial=1m, max=10s", "max=100ms")) {
      assertThrows(IllegalArgumentException.class, () -> RetryPolicy.parse(bad, DECLARED), "'" + bad + "'");
    }
  }

  @Test
  void toStringIsTheSettingsForm() {
    RetryPolicy p = RetryPolicy.backoff(Duration.ofMillis(1500), Duration.ofMinutes(2)).attempts(4);
    assertEquals("initial=1500ms, max=2m, attempts=4", p.toString());
    assertEquals(p, RetryPolicy.parse(p.toString(), RetryPolicy.none()));
    assertEquals("off", RetryPolicy.none().toString());
  }
}

package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void parsesEveryUnit() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofSeconds(3), Durations.parse(" 3s "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ten seconds", "10", "s", "0s", "-1s", "1.5s", "10 s", "10sec", "99999999999999999999s"})
  void rejectsEverythingElse(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals(true, e.getMessage().contains("'" + text + "'"), e.getMessage());
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
    assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
    assertEquals("1h", Durations.format(Duration.ofHours(1)));
    assertEquals("0ms", Durations.format(Duration.ZERO));
    assertEquals("250us", Durations.format(Duration.ofNanos(250_000)));
  }
}

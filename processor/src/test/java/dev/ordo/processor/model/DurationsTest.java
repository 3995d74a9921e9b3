package dev.ordo.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"500ms, 500", "10s, 10000", "2m, 120000", "1h, 3600000", "1500ms, 1500", "007s, 7000"})
  void readsEachUnit(String text, long millis) {
    assertEquals(Optional.of(Duration.ofMillis(millis)), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0s", "0ms", "-5s", "10", "s", "10 s", " 10s", "10s ", "10S", "1.5s", "10sec",
      "1d", "PT10S", "10s5ms", "+10s", "9999999999999999999h", "999999999999999999h"})
  void refusesEverythingElse(String text) {
    assertEquals(Optional.empty(), Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"500, MILLIS, 500ms", "1500, MILLIS, 1500ms", "10000, SECONDS, 10s", "120000, MINUTES, 2m",
      "90000, SECONDS, 90s", "3600000, HOURS, 1h", "7200000, HOURS, 2h"})
  void formatsInTheLargestExactUnit(long millis, ChronoUnit unit, String text) {
    Duration duration = Duration.ofMillis(millis);
    assertEquals(unit, Durations.largestExactUnit(duration));
    assertEquals(text, Durations.format(duration));
    assertEquals(Optional.of(duration), Durations.parse(text));
  }
}

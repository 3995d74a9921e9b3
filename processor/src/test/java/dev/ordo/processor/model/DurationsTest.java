package dev.ordo.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the processor does with a duration once read; the grammar itself is {@link DurationGrammarTest}'s. */
class DurationsTest {
  @ParameterizedTest
  @CsvSource({"PT0.5S, MILLIS, 500ms", "PT1.5S, MILLIS, 1500ms", "PT10S, SECONDS, 10s",
      "PT2M, MINUTES, 2m", "PT90S, SECONDS, 90s", "PT1H, HOURS, 1h", "PT2H, HOURS, 2h",
      "PT3000000H, HOURS, 3000000h", "PT4800000H, HOURS, 4800000h",
      "PT9223372036854775807S, SECONDS, 9223372036854775807s",
      "PT153722867280912930M, MINUTES, 153722867280912930m",
      "PT9223372036854775806.999S, MILLIS, 9223372036854775806999ms"})
  void formatsInTheLargestExactUnit(Duration duration, ChronoUnit unit, String text) {
    assertEquals(unit, Durations.largestExactUnit(duration));
    assertEquals(text, Durations.format(duration));
    assertEquals(Optional.of(duration), Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"PT3000000H, HOURS, 3000000", "PT9223372036854775806.999S, MILLIS, 9223372036854775806999"})
  void amountsNeverOverflow(Duration duration, ChronoUnit unit, BigInteger amount) {
    assertEquals(amount, Durations.amountIn(duration, unit));
  }
}

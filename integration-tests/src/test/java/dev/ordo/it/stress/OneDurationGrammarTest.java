package dev.ordo.it.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 2: the processor and the runtime accept one grammar of durations. Every string
 * here, hand-picked and random, is read by both: both accept it as the same duration, or both
 * refuse it.
 */
class OneDurationGrammarTest {
  private static Optional<Duration> runtime(String text) {
    try {
      return Optional.of(dev.ordo.runtime.Durations.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> processor(String text) {
    return dev.ordo.processor.model.Durations.parse(text);
  }

  @Test
  void theProcessorAndTheRuntimeReadEveryStringAlike() {
    List<String> texts = new ArrayList<>(List.of("500ms", "10s", "2m", "1h", "007s", " 30s\n", "\t1h ", "10 s",
        "1.5s", "10S", "0s", "0", "-1s", "+1s", "1h30m", "PT10S", "", " ", "ms", "s", "1d", "10sec",
        "3000000h", "9223372036854775807s", "9223372036854775808s", "99999999999999999999999h",
        "9".repeat(23) + "ms", "9".repeat(24) + "ms", "9".repeat(25) + "ms", "0".repeat(40) + "1s",
        "\u00a010s", "10s\u00a0", "\u200b10s", "\u300010s", "\u2003" + "10s", "１０s", "10ｓ", "٣s", "10\u0000s",
        "10ms ", "\r\n10ms\r\n", "\u000b10s", "\u001c10s", "1_000ms", "0x10s", "1e3ms"));
    Random random = new Random(20261201);
    String[] parts = {"0", "1", "9", "00", "123", "ms", "s", "m", "h", "M", "H", "S", " ", "\t", "\n", "-", "+", ".",
        "\u00a0", "\u2000", "\u3000", "١", "µ", "us", "ns"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(5);
      for (int k = 0; k < n; k++) {
        b.append(parts[random.nextInt(parts.length)]);
      }
      texts.add(b.toString());
    }
    for (String text : texts) {
      assertEquals(processor(text), runtime(text), () -> "'" + text.codePoints()
          .mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c))
          .reduce("", String::concat) + "'");
    }
  }
}

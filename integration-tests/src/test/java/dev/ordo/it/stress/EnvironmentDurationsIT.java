package dev.ordo.it.stress;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Durations from {@code ORDO_*} environment variables, in real processes: huge ones mean no limit,
 * padded ones are read, zero, negative and malformed ones fail naming the variable and the value.
 */
@Timeout(300)
class EnvironmentDurationsIT {
  private static String run(Map<String, String> env) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        EnvironmentMain.class.getName()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ORDO_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the process ends");
    String text = new String(out, StandardCharsets.UTF_8);
    return text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("no result in: " + text);
  }

  @Test
  void hugeAndPaddedValuesWork() throws Exception {
    for (Map<String, String> env : List.of(
        Map.of("ORDO_SHUTDOWN_TIMEOUT", "3000000h"),
        Map.of("ORDO_STARTUP_TIMEOUT", "99999999999999999999999h"),
        Map.of("ORDO_SHUTDOWN_COMPONENT_TIMEOUT", " 3000000h\n"),
        Map.of("ORDO_HEALTH_INTERVAL", "3000000h", "ORDO_HEALTH_TIMEOUT", "3000000h"),
        Map.of("ORDO_SHUTDOWN_TIMEOUT", "\t30s ", "ORDO_SHUTDOWN_DELAY", "0", "ORDO_SHUTDOWN_DRAIN_TIMEOUT", "0ms"))) {
      String result = run(env);
      assertTrue(result.startsWith("RESULT clean"), env + ": " + result);
    }
  }

  @Test
  void zeroNegativeAndMalformedValuesFailNamingTheVariableAndTheValue() throws Exception {
    for (String[] bad : new String[][] {
        {"ORDO_SHUTDOWN_TIMEOUT", "ordo.shutdown.timeout", "0s"},
        {"ORDO_SHUTDOWN_TIMEOUT", "ordo.shutdown.timeout", "-1s"},
        {"ORDO_STARTUP_TIMEOUT", "ordo.startup.timeout", "10 s"},
        {"ORDO_HEALTH_INTERVAL", "ordo.health.interval", "PT10S"},
        {"ORDO_SHUTDOWN_DELAY", "ordo.shutdown.delay", "-5s"},
        {"ORDO_SHUTDOWN_DRAIN_TIMEOUT", "ordo.shutdown.drain-timeout", "1.5s"}}) {
      String result = run(Map.of(bad[0], bad[2]));
      assertTrue(result.startsWith("RESULT ConfigurationException"), bad[0] + "=" + bad[2] + ": " + result);
      assertTrue(result.contains(bad[1]) && result.contains("environment variable " + bad[0])
          && result.contains("'" + bad[2] + "'"), result);
    }
  }
}

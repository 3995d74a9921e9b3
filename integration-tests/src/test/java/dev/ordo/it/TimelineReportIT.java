package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's {@code --report FILE}: the HTML timeline of a real run (a page without scripts), rendered by headless Chromium
 * (installed by {@code src/test/scripts/install-chromium.sh} when missing), whose DOM must hold a
 * bar for every component in the startup chart and in the shutdown chart, failures marked.
 */
class TimelineReportIT {
  private static final List<String> DEMO = List.of("ConnectionPool", "PriceCache", "PaymentGateway", "OrderStore",
      "SearchIndex", "Recommendations", "OrderApi");

  @Test
  void chromiumRendersABarForEveryComponent(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("startup.html");
    try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0", "--exit-after-start", "--fail-optional",
        "--report", report.toString())) {
      assertEquals(0, demo.awaitExit(120), demo.output());
    }
    String html = Files.readString(report);
    Set<String> components = new LinkedHashSet<>();
    Matcher row = Pattern.compile("<td class=\"name\">([^<( ]+)").matcher(html);
    while (row.find()) {
      components.add(row.group(1));
    }
    for (String name : DEMO) {
      assertTrue(components.contains("dev.ordo.demo." + name), name + " missing from the table: " + components);
    }

    String browser = chromium();
    Path profile = Files.createDirectory(dir.resolve("profile"));
    List<String> flags = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    List<String> dump = new ArrayList<>(List.of(browser));
    dump.addAll(flags);
    dump.addAll(List.of("--dump-dom", report.toUri().toString()));
    String dom = run(dump, dir.resolve("dom.html"));
    assertTrue(!html.contains("<script") && dom.contains("<svg"), "no script in the page; Chromium built its SVG");
    for (String name : components) {
      for (String phase : List.of("startup", "shutdown")) {
        assertTrue(dom.contains("data-component=\"" + name + "\" data-phase=\"" + phase + "\""),
            "no " + phase + " bar for " + name + " in Chromium's DOM");
      }
    }
    assertTrue(dom.contains("data-component=\"dev.ordo.demo.SearchIndex\" data-phase=\"startup\" data-outcome=\"FAILED\""));
    assertTrue(dom.contains("data-component=\"dev.ordo.demo.Recommendations\" data-phase=\"startup\""
        + " data-outcome=\"SKIPPED\""));

    // And it paints: a screenshot of the page.
    Path png = dir.resolve("timeline.png");
    List<String> shot = new ArrayList<>(List.of(browser));
    shot.addAll(flags);
    shot.addAll(List.of("--screenshot=" + png, "--window-size=1180,900", report.toUri().toString()));
    run(shot, dir.resolve("screenshot.log"));
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG: " + bytes.length);
  }

  /** Chromium's path, installed by the project's script if needed; the test is skipped, loudly, where it cannot be. */
  private static String chromium() throws IOException, InterruptedException {
    Path script = Paths.get("src", "test", "scripts", "install-chromium.sh").toAbsolutePath();
    Process p = new ProcessBuilder("sh", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done || p.exitValue() != 0 || out.isEmpty()) {
      String why = "SKIPPED: headless Chromium is not installed and " + script + " could not install it"
          + " (it needs root and apt-get with a network to Debian's mirrors); the HTML timeline was not rendered";
      System.err.println("\n!!!!! " + why + " !!!!!\n");
      assumeTrue(false, why);
    }
    String[] lines = out.split("\n");
    return lines[lines.length - 1].strip();
  }

  private static String run(List<String> command, Path output) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectOutput(output.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chromium did not finish: " + command);
    assertEquals(0, p.exitValue(), "Chromium failed: " + command);
    return Files.readString(output);
  }
}

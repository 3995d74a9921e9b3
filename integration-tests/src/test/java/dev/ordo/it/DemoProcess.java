package dev.ordo.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo jar started as a real OS process, with its output collected line by line. */
final class DemoProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("Order API on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern HEALTH_PORT = Pattern.compile("Health probes on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private DemoProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "demo-output");
    reader.setDaemon(true);
    reader.start();
  }

  static Path jar() {
    String configured = System.getProperty("ordo.demo.jar");
    Path jar = configured != null ? Paths.get(configured) : Paths.get("target", "ordo-demo.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The demo jar " + jar.toAbsolutePath() + " is missing; run mvn package first");
    }
    return jar;
  }

  /**
   * Starts {@code java [jvmOptions] -jar ordo-demo.jar [args]} with the same JDK as the test; the
   * health probes get a free port unless the arguments choose one.
   */
  static DemoProcess start(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    if (!command.contains("--health-port")) {
      command.add("--health-port");
      command.add("0");
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ORDO_"));
    return new DemoProcess(pb.start());
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (lines) {
        lines.add("<output ended: " + e + ">");
      }
    }
  }

  /** Waits for a line containing {@code text}; fails with the output so far if it does not come. */
  String awaitLine(String text, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    synchronized (lines) {
      while (true) {
        for (String l : lines) {
          if (l.contains(text)) {
            return l;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
          throw new AssertionError("No line with '" + text + "' in the demo's output:\n" + output());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
    }
  }

  int port() throws InterruptedException {
    Matcher m = PORT.matcher(awaitLine("Order API on", 60));
    if (!m.find()) {
      throw new AssertionError("No port in the demo's output:\n" + output());
    }
    return Integer.parseInt(m.group(1));
  }

  int healthPort() throws InterruptedException {
    Matcher m = HEALTH_PORT.matcher(awaitLine("Health probes on", 60));
    if (!m.find()) {
      throw new AssertionError("No health port in the demo's output:\n" + output());
    }
    return Integer.parseInt(m.group(1));
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sends SIGTERM. Through the process handle: {@link Process#destroy()} sends the same signal but
   * also closes our end of the output pipe, and the shutdown's output would be lost.
   */
  void sigterm() {
    if (!process.toHandle().destroy()) {
      throw new AssertionError("could not signal the demo");
    }
  }

  /** Waits for the exit and the end of the output; returns the exit status. */
  int awaitExit(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("The demo did not exit within " + timeoutSeconds + " s:\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Index of the first line containing {@code text}, or -1. */
  int lineOf(String text) {
    synchronized (lines) {
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(text)) {
          return i;
        }
      }
      return -1;
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}

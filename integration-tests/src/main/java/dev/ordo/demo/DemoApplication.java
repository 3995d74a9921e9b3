package dev.ordo.demo;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.ComponentTransition;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Durations;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.StartupFailedException;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.health.HealthStatus;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.metrics.OrdoMetrics;
import dev.ordo.registry.ServiceRegistration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Ordo demo: an order service with a connection pool and store on H2, a price cache, a search
 * index, recommendations, a payment gateway and an HTTP API. It prints the startup plan and every
 * transition as it happens, then runs until Ctrl-C or SIGTERM and shuts down gracefully.
 *
 * <pre>
 *   java -jar integration-tests/target/ordo-demo.jar [--port N] [--health-port N]
 *       [--events-file PATH] [--exit-after-start]
  *       [--fail-optional] [--fail-critical] [--hang-on-stop] [--verbose] [--report FILE]
  *       [--registry etcd://HOST:PORT|consul://HOST:PORT]
 * </pre>
 */
public final class DemoApplication {
  /** Keeps the runtime's logger configured (java.util.logging holds loggers weakly). */
  private static final Logger ORDO_LOG = Logger.getLogger("dev.ordo");
  private static final Logger HIKARI_LOG = Logger.getLogger("com.zaxxer.hikari");

  private final PrintStream out;
  private final long t0 = System.nanoTime();
  private OrdoMetrics metrics;
  private Ordo app;
  /** Set before the start; read by the registration (--registry) when it registers, on a listener thread. */
  private volatile OrderApi api;

  private DemoApplication(PrintStream out) {
    this.out = out;
  }

  /** The command line. */
  record Options(
      int port, int healthPort, Path eventsFile, boolean exitAfterStart, boolean failOptional,
      boolean failCritical, boolean hangOnStop, boolean verbose, Path report, String registry) {
    static Options parse(String[] args) {
      int port = 8080;
      int healthPort = 8081;
      Path eventsFile = null;
      boolean exitAfterStart = false;
      boolean failOptional = false;
      boolean failCritical = false;
      boolean hangOnStop = false;
      boolean verbose = false;
      Path report = null;
      String registry = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port":
            port = portAfter(args, i++);
            break;
          case "--health-port":
            healthPort = portAfter(args, i++);
            break;
          case "--events-file":
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--events-file needs a path, e.g. --events-file events.jsonl");
            }
            eventsFile = Paths.get(args[++i]);
            break;
          case "--report":
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--report needs a file, e.g. --report startup.html");
            }
            report = Paths.get(args[++i]);
            break;
          case "--exit-after-start":
            exitAfterStart = true;
            break;
          case "--fail-optional":
            failOptional = true;
            break;
          case "--fail-critical":
            failCritical = true;
            break;
          case "--hang-on-stop":
            hangOnStop = true;
            break;
          case "--verbose":
            verbose = true;
            break;
          case "--registry":
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--registry needs a URL, e.g. --registry etcd://127.0.0.1:2379");
            }
            registry = args[++i];
            break;
          case "--help":
          case "-h":
            throw new IllegalArgumentException("");
          default:
            throw new IllegalArgumentException("Unknown option '" + args[i] + "'");
        }
      }
      return new Options(
          port, healthPort, eventsFile, exitAfterStart, failOptional, failCritical, hangOnStop, verbose, report,
          registry);
    }

    private static int portAfter(String[] args, int i) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a number, e.g. " + flag + " 8080 (0 picks a free port)");
      }
      int port;
      try {
        port = Integer.parseInt(args[i + 1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, was '" + args[i + 1] + "'");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(flag + " must be 0..65535, was " + port);
      }
      return port;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.println("usage: java -jar ordo-demo.jar [--port N] [--health-port N] [--events-file PATH] [--exit-after-start]"
          + " [--fail-optional] [--fail-critical] [--hang-on-stop] [--verbose] [--report FILE]"
          + " [--registry etcd://HOST:PORT|consul://HOST:PORT]");
      System.exit(e.getMessage().isEmpty() ? 0 : 64);
      return;
    }
    System.exit(new DemoApplication(System.out).run(options));
  }

  int run(Options options) throws InterruptedException {
    ORDO_LOG.setLevel(options.verbose() ? Level.INFO : Level.OFF);
    HIKARI_LOG.setLevel(options.verbose() ? Level.INFO : Level.WARNING);
    out.println("Ordo demo: an order service on H2 (HikariCP) with a price cache, a search index,");
    out.println("recommendations, a payment gateway and an HTTP API.");
    if (options.failOptional()) {
      out.println("--fail-optional: the search index will fail to start (optional: the shop degrades).");
    }
    if (options.failCritical()) {
      out.println("--fail-critical: the payment gateway will fail to start (critical: startup rolls back).");
    }
    if (options.eventsFile() != null) {
      out.println("--events-file: every event is written as a CloudEvent (JSON line) to " + options.eventsFile());
    }
    if (options.report() != null) {
      out.println("--report: the run's timeline is written to " + options.report()
          + " after startup and again after shutdown (HTML; JSON with -Dordo.report.format=json).");
    }
    if (options.hangOnStop()) {
      out.println("--hang-on-stop: the price cache's stop hook will hang; the shutdown budget still holds.");
    }

    // The compiler wrote OrdoDemo from the @OrdoApplication interface Demo: it constructs every
    // component in startup order; the builder takes what only this main knows (the externals).
    OrdoDemo demo = OrdoDemo.builder()
        .jdbcUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1")
        .httpPort(options.port())
        .failOptional(options.failOptional())
        .failCritical(options.failCritical())
        .hangOnStop(options.hangOnStop())
        .configure(settings -> {
          if (options.report() != null) {
            settings.reportFile(options.report()); // the timeline, after startup and after shutdown
          }
        })
        .configure(settings -> settings
            .shutdownOnSignal(!options.exitAfterStart())
            // Short intervals and thresholds, so that a check broken at runtime shows within seconds.
            .health(HealthOptions.defaults()
                .port(options.healthPort())
                .interval(Duration.ofSeconds(1))
                .failureThreshold(2)
                .successThreshold(1))
            .events(options.eventsFile() == null
                ? EventOptions.defaults()
                : EventOptions.defaults().file(options.eventsFile()))
            .listener(new Printer()))
        .configure(settings -> addRegistration(options, settings))
        .build();
    Ordo app = demo.ordo();
    OrderApi api = demo.api();
    this.app = app;
    this.api = api;
    metrics = new OrdoMetrics(app);
    metrics.bindTo(new SimpleMeterRegistry());
    printPlan(app);

    out.println();
    out.println("Starting:");
    try {
      app.start();
    } catch (StartupFailedException e) {
      if (e.interruptedByShutdown()) {
        // SIGTERM or Ctrl-C while starting: the signal's shutdown decides the exit status.
        out.println("Startup interrupted by a shutdown.");
        return app.awaitShutdown().exitCode();
      }
      out.println();
      out.println("Startup FAILED; everything that had started was stopped again, in reverse order.");
      out.println(e.getMessage());
      out.println("Application state: " + app.state() + " (exit status 1)");
      return ShutdownReport.EXIT_STARTUP_FAILED;
    }

    out.println();
    List<String> degraded = new ArrayList<>();
    for (ComponentStatus s : app.components()) {
      if (s.degraded()) {
        degraded.add(simple(s.component()) + " " + s.state()
            + (s.failure() != null ? " (" + s.failure().getMessage() + ")" : ""));
      }
    }
    out.println("Application " + app.state() + " in " + Durations.format(roundMs(app.uptime()))
        + (degraded.isEmpty() ? "" : ", DEGRADED:"));
    for (String d : degraded) {
      out.println("  - " + d);
    }
    out.println("Order API on http://127.0.0.1:" + api.port()
        + "  (try: curl 'http://127.0.0.1:" + api.port() + "/orders?delayMs=500')");
    int healthPort = app.healthPort().orElse(-1);
    out.println("Health probes on http://127.0.0.1:" + healthPort + "/health"
        + "  (also /health/live, /health/ready, /health/started)");
    out.println("Break the database check at runtime: curl -X POST 'http://127.0.0.1:" + api.port()
        + "/admin/maintenance?on=true' (and on=false to repair it)");

    if (options.exitAfterStart()) {
      out.println();
      out.println("--exit-after-start: shutting down.");
      ShutdownReport report = app.stop();
      return app.state() == ApplicationState.STOPPED && report.exitCode() == 0 ? 0 : report.exitCode();
    }
    out.println("Press Ctrl-C (or send SIGTERM) to shut down gracefully.");
    out.flush();
    ShutdownReport report = app.awaitShutdown();
    return report.exitCode();
  }

  /**
   * {@code --registry etcd://...} or {@code consul://...}: the ready-made registration component of
   * ordo-registry, added beside the generated assembly's components. It registers the order API
   * ({@code ordo-demo}, its actual port, the readiness probe) when the application is RUNNING, takes
   * it out of service when draining begins and deregisters it at shutdown; with the registry down,
   * the demo runs degraded and the registration is retried.
   */
  private void addRegistration(Options options, Ordo.Builder settings) {
    if (options.registry() == null) {
      return;
    }
    ServiceRegistration registration;
    try {
      registration = ServiceRegistration.builder()
          .registry(options.registry())
          .serviceName("ordo-demo")
          .address("127.0.0.1")
          .port(() -> api == null ? 0 : api.port())
          .healthPort(() -> app == null ? 0 : app.healthPort().orElse(0))
          .build();
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException("--registry: " + e.getMessage(), e);
    }
    out.println("--registry: registers as " + registration.instance().id() + " with " + registration.registry());
    registration.addTo(settings);
  }

  private void printPlan(Ordo app) {
    Map<String, Integer> level = new HashMap<>();
    Map<String, ComponentDescriptor> byKey = new HashMap<>();
    int maxLevel = 0;
    for (ComponentDescriptor d : app.startupOrder()) {
      byKey.put(d.key(), d);
      int l = 0;
      for (String dep : d.hardDependencies()) {
        l = Math.max(l, level.get(dep) + 1);
      }
      for (String dep : d.softDependencies()) {
        l = Math.max(l, level.get(dep) + 1);
      }
      level.put(d.key(), l);
      maxLevel = Math.max(maxLevel, l);
    }
    out.println();
    out.println("Startup plan: " + byKey.size() + " components in " + (maxLevel + 1)
        + " waves, up to " + app.parallelism() + " at once (stop runs the waves backwards):");
    for (int l = 0; l <= maxLevel; l++) {
      List<String> wave = new ArrayList<>();
      for (ComponentDescriptor d : app.startupOrder()) {
        if (level.get(d.key()) != l) {
          continue;
        }
        StringBuilder s = new StringBuilder(simple(d));
        if (d.critical()) {
          s.append(" [critical]");
        }
        List<String> deps = new ArrayList<>();
        d.hardDependencies().forEach(k -> deps.add(simple(byKey.get(k))));
        d.softDependencies().forEach(k -> deps.add(simple(byKey.get(k)) + "?"));
        if (!deps.isEmpty()) {
          s.append(" <- ").append(String.join(", ", deps));
        }
        wave.add(s.toString());
      }
      out.println("  wave " + (l + 1) + ": " + String.join("; ", wave));
    }
    out.println("  (X? = optional dependency: start after it settles, even if it failed)");
  }

  private static String simple(ComponentDescriptor d) {
    return d.type().getSimpleName();
  }

  private static Duration roundMs(Duration d) {
    return Duration.ofMillis(Math.max(1, d.toMillis()));
  }

  private String clock() {
    return String.format("[%7.1f ms]", (System.nanoTime() - t0) / 1e6);
  }

  /** Prints one line with the time since launch; lines from concurrent threads stay in time order. */
  private void print(String line) {
    synchronized (out) {
      out.println(clock() + " " + line);
      out.flush();
    }
  }

  /** Prints every transition as it happens. */
  private final class Printer implements LifecycleListener {
    @Override
    public void applicationStateChanged(ApplicationState from, ApplicationState to) {
      print(String.format("application %s -> %s", from, to));
    }

    @Override
    public void componentStateChanged(ComponentTransition t) {
      StringBuilder s = new StringBuilder();
      s.append(String.format("  %-16s %-8s", simple(t.component()), t.to()));
      if (!t.duration().isZero()) {
        s.append(String.format(" (%.1f ms)", t.duration().toNanos() / 1e6));
      }
      if (t.cause() != null && (t.to() == ComponentState.FAILED || t.to() == ComponentState.SKIPPED
          || t.to() == ComponentState.STOPPED)) {
        s.append(" - ").append(t.cause().getMessage());
      }
      print(s.toString());
    }

    @Override
    public void healthCheckChanged(dev.ordo.runtime.Health.Status from, CheckResult to) {
      if (from != null) {
        print("health check " + to + " (was " + from + ")");
      }
    }

    @Override
    public void healthChanged(HealthStatus from, HealthStatus to) {
      print("health " + from + " -> " + to);
    }

    @Override
    public void drainStarted(long inFlight) {
      print(String.format("draining: new requests get 503; waiting for %d in flight", inFlight));
    }

    @Override
    public void drainEnded(long inFlight, Duration took) {
      print(String.format("drained in %.1f ms (%d left in flight)", took.toNanos() / 1e6, inFlight));
    }

    @Override
    public void shutdownCompleted(ShutdownReport report) {
      print(report + "; exit status " + report.exitCode());
      synchronized (out) {
        out.println("Metrics (Micrometer):");
        // The state gauges of states not held, and the health gauges of stopped checks, say nothing here.
        metrics.summary().lines()
            .filter(l -> !(l.startsWith("ordo.application.state") && l.endsWith(" 0")))
            .filter(l -> !l.startsWith("ordo.component.health"))
            .forEach(l -> out.println("  " + l));
        out.println("Events: " + app.events().stats());
        out.flush();
      }
    }
  }
}

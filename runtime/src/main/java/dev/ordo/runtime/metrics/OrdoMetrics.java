package dev.ordo.runtime.metrics;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentRecovery;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.ComponentTransition;
import dev.ordo.runtime.HookTimeoutException;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.events.EventStats;
import dev.ordo.runtime.events.OperationObserver;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.internal.RuntimeAccess;
import dev.ordo.runtime.resources.ManagedResource;
import dev.ordo.runtime.resources.ResourceEvent;
import dev.ordo.runtime.resources.VersionStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ordo's metrics in a Micrometer {@link MeterRegistry}. Bind it before {@link Ordo#start()}, so
 * that the startup is measured:
 *
 * <pre>{@code
 * Ordo app = Ordo.builder().components(pool, store, checkout).build();
 * new OrdoMetrics(app).bindTo(registry);
 * app.start();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code ordo.component.startup}</td><td>timer</td><td>component, outcome</td><td>each startup hook (outcome success, failure or timeout)</td></tr>
 *   <tr><td>{@code ordo.component.shutdown}</td><td>timer</td><td>component, outcome</td><td>each shutdown hook (success, failure or timeout)</td></tr>
 *   <tr><td>{@code ordo.application.state}</td><td>gauge</td><td>state</td><td>1 for the application's current state, 0 for the others</td></tr>
 *   <tr><td>{@code ordo.component.health}</td><td>gauge</td><td>component</td><td>1 when the component runs and its health checks are UP, else 0</td></tr>
 *   <tr><td>{@code ordo.component.recovered}</td><td>counter</td><td>component, reason</td><td>each recovery of a component (reason retry, dependency or restart)</td></tr>
 *   <tr><td>{@code ordo.events.published}</td><td>counter</td><td></td><td>events accepted for delivery</td></tr>
 *   <tr><td>{@code ordo.events.dropped}</td><td>counter</td><td></td><td>events refused (queue full, or after the stop)</td></tr>
 *   <tr><td>{@code ordo.events.delivered}</td><td>counter</td><td>sink</td><td>events the sink wrote (delivered and flushed)</td></tr>
 *   <tr><td>{@code ordo.events.failed}</td><td>counter</td><td>sink</td><td>events whose write or flush failed in the sink</td></tr>
 *   <tr><td>{@code ordo.events.sink.dropped}</td><td>counter</td><td>sink</td><td>events the sink missed: its buffer was full, or it was still busy when the shutdown budget ran out</td></tr>
 *   <tr><td>{@code ordo.requests.inflight}</td><td>gauge</td><td></td><td>units of work in the {@link dev.ordo.runtime.RequestTracker}</td></tr>
 *   <tr><td>{@code ordo.operation}</td><td>timer</td><td>component, operation, outcome</td><td>each declared operation (success or failure)</td></tr>
 *   <tr><td>{@code ordo.resource.loads}</td><td>counter</td><td>component, resource</td><td>versions of a managed resource loaded, warmed up and checked</td></tr>
 *   <tr><td>{@code ordo.resource.swaps}</td><td>counter</td><td>component, resource</td><td>changes of its current version</td></tr>
 *   <tr><td>{@code ordo.resource.failures}</td><td>counter</td><td>component, resource</td><td>swaps, rollbacks and loads that failed</td></tr>
 *   <tr><td>{@code ordo.resource.unloads}</td><td>counter</td><td>component, resource</td><td>versions unloaded</td></tr>
 *   <tr><td>{@code ordo.resource.load}</td><td>timer</td><td>component, resource</td><td>each load of a version</td></tr>
 *   <tr><td>{@code ordo.resource.warmup}</td><td>timer</td><td>component, resource</td><td>each warm-up and check of a version</td></tr>
 *   <tr><td>{@code ordo.resource.leases}</td><td>gauge</td><td>component, resource</td><td>leases held now, over every version</td></tr>
 *   <tr><td>{@code ordo.resource.uses}</td><td>counter</td><td>component, resource, version</td><td>leases acquired of each loaded version (removed when the version is unloaded)</td></tr>
 * </table>
 *
 * <p>Micrometer is an optional dependency of the runtime: only this package refers to it, and
 * nothing loads this package unless the application creates an {@code OrdoMetrics}, so an
 * application without Micrometer on its class path runs unchanged.
 *
 * @since 0.1
 */
public final class OrdoMetrics implements MeterBinder {
  private final Ordo app;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer[]>> operationTimers =
      new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  /** The metrics of {@code app}; {@link #bindTo} registers them. */
  public OrdoMetrics(Ordo app) {
    this.app = Objects.requireNonNull(app, "app");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (this) {
      if (this.registry != null) {
        throw new IllegalStateException("These metrics are already bound to " + this.registry);
      }
      this.registry = registry;
    }
    for (ApplicationState state : ApplicationState.values()) {
      Gauge.builder("ordo.application.state", app, a -> a.state() == state ? 1 : 0)
          .description("1 for the application's current state, 0 for the others")
          .tag("state", state.name())
          .register(registry);
    }
    for (ComponentDescriptor component : app.startupOrder()) {
      Gauge.builder("ordo.component.health", app, a -> health(a, component))
          .description("1 when the component runs and its health checks are UP, else 0")
          .tag("component", component.name())
          .register(registry);
    }
    FunctionCounter.builder("ordo.events.published", app, a -> a.events().stats().published())
        .description("Events accepted for delivery")
        .register(registry);
    FunctionCounter.builder("ordo.events.dropped", app, a -> a.events().stats().dropped())
        .description("Events refused because the queue was full or the application had stopped")
        .register(registry);
    List<EventStats.SinkStats> sinks = app.events().stats().sinks();
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < sinks.size(); i++) {
      int index = i;
      String name = sinks.get(i).name();
      String tag = tags.add(name) ? name : name + "#" + i; // two sinks of one name stay apart
      tags.add(tag);
      FunctionCounter.builder("ordo.events.delivered", app, a -> sink(a, index).delivered())
          .description("Events the sink wrote: delivered and flushed")
          .tag("sink", tag)
          .register(registry);
      FunctionCounter.builder("ordo.events.failed", app, a -> sink(a, index).failed())
          .description("Events whose write or flush failed in the sink")
          .tag("sink", tag)
          .register(registry);
      FunctionCounter.builder("ordo.events.sink.dropped", app, a -> sink(a, index).dropped())
          .description("Events the sink missed: its buffer was full, or it was busy when the shutdown budget ran out")
          .tag("sink", tag)
          .register(registry);
    }
    Gauge.builder("ordo.requests.inflight", app, a -> a.requestTracker().inFlight())
        .description("Units of work in flight in the request tracker")
        .register(registry);
    for (Map.Entry<String, List<ManagedResource<?>>> e : app.resources().entrySet()) {
      for (ManagedResource<?> r : e.getValue()) {
        bindResource(registry, e.getKey(), r);
      }
    }
    // Inline, as each change is decided: the timers are recorded by the time start() or stop() returns.
    RuntimeAccess.addObserver(app, new Transitions(registry));
    app.events().addOperationObserver(new Operations(registry));
  }

  /** The meters of one managed resource of {@code component}. */
  private static void bindResource(MeterRegistry registry, String component, ManagedResource<?> r) {
    Tags tags = Tags.of("component", component, "resource", r.name());
    FunctionCounter.builder("ordo.resource.loads", r, ManagedResource::loads)
        .description("Versions loaded, warmed up and checked").tags(tags).register(registry);
    FunctionCounter.builder("ordo.resource.swaps", r, ManagedResource::swaps)
        .description("Changes of the current version").tags(tags).register(registry);
    FunctionCounter.builder("ordo.resource.failures", r, ManagedResource::failures)
        .description("Swaps, rollbacks and loads that failed").tags(tags).register(registry);
    FunctionCounter.builder("ordo.resource.unloads", r, ManagedResource::unloads)
        .description("Versions unloaded").tags(tags).register(registry);
    Gauge.builder("ordo.resource.leases", r, ManagedResource::leasesInUse)
        .description("Leases held now, over every version").tags(tags).register(registry);
    Timer load = Timer.builder("ordo.resource.load").description("Loads of versions").tags(tags).register(registry);
    Timer warmUp = Timer.builder("ordo.resource.warmup").description("Warm-ups and checks of versions").tags(tags)
        .register(registry);
    Map<String, Meter> uses = new ConcurrentHashMap<>();
    for (VersionStats v : r.versions()) {
      uses.computeIfAbsent(v.version(), id -> usesCounter(registry, tags, r, id));
    }
    // On the thread that loaded or unloaded, outside the resource's locks; registering a meter never blocks long.
    r.addListener(event -> {
      if (event.kind() == ResourceEvent.Kind.LOADED) {
        load.record(event.loadDuration().toNanos(), TimeUnit.NANOSECONDS);
        warmUp.record(event.warmUpDuration().toNanos(), TimeUnit.NANOSECONDS);
        uses.computeIfAbsent(event.version(), id -> usesCounter(registry, tags, r, id));
      } else if (event.kind() == ResourceEvent.Kind.UNLOADED) {
        Meter m = uses.remove(event.version());
        if (m != null) {
          registry.remove(m);
        }
      }
    });
  }

  private static Meter usesCounter(MeterRegistry registry, Tags tags, ManagedResource<?> r, String version) {
    return FunctionCounter.builder("ordo.resource.uses", r, res -> {
          for (VersionStats v : res.versions()) {
            if (v.version().equals(version)) {
              return v.totalUses();
            }
          }
          return 0;
        })
        .description("Leases acquired of one version")
        .tags(tags).tag("version", version)
        .register(registry);
  }

  private static EventStats.SinkStats sink(Ordo app, int index) {
    return app.events().stats().sinks().get(index);
  }

  private static double health(Ordo app, ComponentDescriptor component) {
    ComponentStatus status = null;
    for (ComponentStatus s : app.components()) {
      if (s.component().key().equals(component.key())) {
        status = s;
        break;
      }
    }
    if (status == null || status.state() != ComponentState.RUNNING) {
      return 0;
    }
    for (CheckResult check : app.health().checks()) {
      if (check.component().equals(component.name()) && !check.isUp()) {
        return 0;
      }
    }
    return 1;
  }

  static String outcome(Throwable error) {
    if (error == null) {
      return "success";
    }
    return error instanceof HookTimeoutException ? "timeout" : "failure";
  }

  /** Times the hooks from the application's transitions. */
  private static final class Transitions implements LifecycleListener {
    private final MeterRegistry registry;

    Transitions(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void componentStateChanged(ComponentTransition t) {
      String name;
      if (t.from() == ComponentState.STARTING
          && (t.to() == ComponentState.RUNNING || t.to() == ComponentState.FAILED)) {
        name = "ordo.component.startup";
      } else if (t.from() == ComponentState.STOPPING && t.to() == ComponentState.STOPPED) {
        name = "ordo.component.shutdown";
      } else {
        return;
      }
      Timer.builder(name)
          .description(name.endsWith("startup") ? "Startup hooks" : "Shutdown hooks")
          .tag("component", t.name())
          .tag("outcome", outcome(t.cause()))
          .register(registry)
          .record(t.duration().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void componentRecovered(ComponentRecovery r) {
      Counter.builder("ordo.component.recovered")
          .description("Recoveries of components: a retry that succeeded, a start after a dependency's recovery,"
              + " a restart after a failed health check")
          .tag("component", r.name())
          .tag("reason", r.reason().name().toLowerCase(Locale.ROOT))
          .register(registry)
          .increment();
    }

    @Override
    public String toString() {
      return "OrdoMetrics";
    }
  }

  /** Times declared operations; the timers are cached, so a call looks up two maps. */
  private final class Operations implements OperationObserver {
    private final MeterRegistry registry;

    Operations(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void operationEnded(String component, String operation, long durationNanos, Throwable failure) {
      ConcurrentHashMap<String, Timer[]> ofComponent = operationTimers.get(component);
      if (ofComponent == null) {
        ofComponent = operationTimers.computeIfAbsent(component, c -> new ConcurrentHashMap<>());
      }
      Timer[] timers = ofComponent.get(operation);
      if (timers == null) {
        timers = ofComponent.computeIfAbsent(operation,
            o -> new Timer[] {timer(component, o, "success"), timer(component, o, "failure")});
      }
      timers[failure == null ? 0 : 1].record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String component, String operation, String outcome) {
      return Timer.builder("ordo.operation")
          .description("Declared operations (@PublishesEvents)")
          .tag("component", component)
          .tag("operation", operation)
          .tag("outcome", outcome)
          .register(registry);
    }

    @Override
    public String toString() {
      return "OrdoMetrics";
    }
  }

  /**
   * The {@code ordo.*} meters of the registry, one per line, sorted: for a summary at shutdown.
   *
   * <pre>
   * ordo.component.startup{component=com.acme.OrderStore,outcome=success} count=1 total=12.3ms max=12.3ms
   * ordo.events.published 42
   * </pre>
   */
  public String summary() {
    MeterRegistry r = registry;
    if (r == null) {
      return "(metrics not bound)";
    }
    List<String> lines = new ArrayList<>();
    for (Meter meter : r.getMeters()) {
      Meter.Id id = meter.getId();
      if (!id.getName().startsWith("ordo.")) {
        continue;
      }
      StringBuilder line = new StringBuilder(id.getName());
      List<Tag> tags = id.getTags();
      if (!tags.isEmpty()) {
        line.append('{');
        for (int i = 0; i < tags.size(); i++) {
          line.append(i == 0 ? "" : ",").append(tags.get(i).getKey()).append('=').append(tags.get(i).getValue());
        }
        line.append('}');
      }
      if (meter instanceof Timer) {
        Timer t = (Timer) meter;
        line.append(" count=").append(t.count())
            .append(" total=").append(ms(t.totalTime(TimeUnit.NANOSECONDS)))
            .append(" max=").append(ms(t.max(TimeUnit.NANOSECONDS)));
      } else if (meter instanceof FunctionCounter) {
        line.append(' ').append(number(((FunctionCounter) meter).count()));
      } else if (meter instanceof Counter) {
        line.append(' ').append(number(((Counter) meter).count()));
      } else if (meter instanceof Gauge) {
        line.append(' ').append(number(((Gauge) meter).value()));
      } else {
        continue;
      }
      lines.add(line.toString());
    }
    lines.sort(null);
    return String.join("\n", lines);
  }

  private static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
  }

  private static String number(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value)
        ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f", value);
  }

  @Override
  public String toString() {
    return "OrdoMetrics[" + app + "]";
  }
}

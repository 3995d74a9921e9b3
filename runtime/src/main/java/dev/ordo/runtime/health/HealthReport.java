package dev.ordo.runtime.health;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.engine.json.JsonWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of an application's health: its state, the aggregate status, the three probe views
 * and every check's cached result. Reading one never runs a check.
 *
 * <p>{@link #json} writes a view in the MicroProfile Health format, the body the HTTP probes serve;
 * an application that serves HTTP with its own stack can answer probes with it:
 *
 * <pre>{@code
 * HealthReport report = app.health().report();
 * respond(report.isUp(HealthProbe.READY) ? 200 : 503, report.json(HealthProbe.READY, false));
 * }</pre>
 *
 * @since 0.1
 */
public final class HealthReport {
  private final ApplicationState state;
  private final HealthStatus status;
  private final boolean started;
  private final boolean live;
  private final boolean ready;
  private final boolean engineResponsive;
  private final long inFlight;
  private final int pending;
  private final Duration uptime;
  private final List<CheckResult> checks;
  private final List<ComponentStatus> components;
  private final List<String> degraded;
  private final List<String> down;
  private final Map<String, ComponentState> componentStates;
  private final List<ResourceHealth> resources;

  HealthReport(ApplicationState state, HealthStatus status, boolean started, boolean live, boolean ready,
      boolean engineResponsive, long inFlight, int pending, Duration uptime, List<CheckResult> checks,
      List<ComponentStatus> components, List<String> degraded, List<String> down, List<ResourceHealth> resources) {
    this.resources = List.copyOf(resources);
    this.state = state;
    this.status = status;
    this.started = started;
    this.live = live;
    this.ready = ready;
    this.engineResponsive = engineResponsive;
    this.inFlight = inFlight;
    this.pending = pending;
    this.uptime = uptime;
    this.checks = List.copyOf(checks);
    this.components = components;
    this.degraded = List.copyOf(degraded);
    this.down = List.copyOf(down);
    this.componentStates = new java.util.HashMap<>();
    for (ComponentStatus c : components) {
      componentStates.put(c.name(), c.state());
    }
  }

  /**
   * The components' managed resources, read when this report was made, in startup order of the
   * components.
   *
   * @since 0.1
   */
  public List<ResourceHealth> resources() {
    return resources;
  }

  /** The application's state. */
  public ApplicationState state() {
    return state;
  }

  /** The aggregate status: DOWN, DEGRADED or UP, by the components' criticality. */
  public HealthStatus status() {
    return status;
  }

  /** Startup finished: the application reached RUNNING. */
  public boolean started() {
    return started;
  }

  /** The application did not fail and the health engine's thread keeps ticking. */
  public boolean live() {
    return live;
  }

  /** RUNNING (not DRAINING), every check of a critical component reported and is UP. */
  public boolean ready() {
    return ready;
  }

  /** Whether the {@code probe} answers UP. */
  public boolean isUp(HealthProbe probe) {
    switch (probe) {
      case LIVE:
        return live;
      case READY:
        return ready;
      case STARTED:
        return started;
      default:
        return live && started && ready;
    }
  }

  /** Units of work in flight, from the {@link dev.ordo.runtime.RequestTracker}. */
  public long inFlight() {
    return inFlight;
  }

  /** Checks of critical components that have not reported yet (the application is not ready until 0). */
  public int pendingCriticalChecks() {
    return pending;
  }

  /** Every check's cached result, in startup order of the components. */
  public List<CheckResult> checks() {
    return checks;
  }

  /** Every component's status, in startup order. */
  public List<ComponentStatus> components() {
    return components;
  }

  /**
   * What makes the application DEGRADED: optional components that did not start (or are being
   * retried or restarted), DOWN checks of optional ones.
   */
  public List<String> degraded() {
    return degraded;
  }

  /** What makes the application DOWN: DOWN checks of critical components, critical components not running. */
  public List<String> down() {
    return down;
  }

  /**
   * The {@code probe}'s body in the MicroProfile Health format:
   * {@code {"status":"UP","checks":[{"name":"ordo","status":"UP","data":{...}}, ...]}}.
   *
   * <p>The {@code ordo} check carries the application's state; {@code /health/ready} and
   * {@code /health} add one check per health check (named {@code component.check}) and one per
   * component that failed or was skipped at startup, or is being retried or restarted (with
   * {@code attempts} and, when one is due, {@code nextAttempt}), and one per managed resource
   * (named {@code component.resource.name}, always UP, with its {@code version}, {@code state},
   * loaded {@code versions}, {@code leasesInUse} and {@code lastSwapError}). A check's {@code status} is what it does to
   * the probe: an optional component's failing check is {@code UP} with {@code "degraded":true}
   * and {@code "result":"DOWN"} in its data, since it leaves the application ready. The overall
   * status is UP exactly when every listed check is UP.
   *
   * @param details whether to include what checks and components threw (class and message);
   *     never a stack trace
   */
  public String json(HealthProbe probe, boolean details) {
    JsonWriter json = new JsonWriter().beginObject();
    json.member("status", updown(isUp(probe)));
    json.beginArray("checks");
    ordoCheck(json, probe);
    if (probe == HealthProbe.READY || probe == HealthProbe.HEALTH) {
      for (CheckResult c : checks) {
        check(json, c, details);
      }
      for (ResourceHealth r : resources) {
        resource(json, r);
      }
      boolean running = state == ApplicationState.RUNNING || state == ApplicationState.DRAINING;
      for (ComponentStatus c : components) {
        if (HealthMonitor.troubled(c.state(), running)) {
          notRunning(json, c, details);
        }
      }
    }
    return json.endArray().endObject().toString();
  }

  private void ordoCheck(JsonWriter json, HealthProbe probe) {
    json.beginObject().member("name", "ordo");
    boolean up;
    switch (probe) {
      case LIVE:
        up = live;
        break;
      case STARTED:
        up = started;
        break;
      case READY:
        up = state == ApplicationState.RUNNING;
        break;
      default:
        up = live && started && state == ApplicationState.RUNNING;
    }
    json.member("status", updown(up));
    json.beginObject("data").member("state", state.name());
    if (probe == HealthProbe.LIVE || probe == HealthProbe.HEALTH) {
      json.member("engine", engineResponsive ? "responsive" : "stalled");
    }
    if (probe == HealthProbe.READY || probe == HealthProbe.HEALTH) {
      json.member("health", status.name());
      json.member("inFlight", inFlight);
      if (!degraded.isEmpty()) {
        json.member("degraded", String.join(", ", degraded));
      }
      if (!down.isEmpty()) {
        json.member("down", String.join(", ", down));
      }
      if (pending > 0) {
        json.member("pendingChecks", pending);
      }
    }
    if (probe == HealthProbe.HEALTH || probe == HealthProbe.STARTED) {
      json.member("uptimeMs", uptime.toMillis());
    }
    json.endObject().endObject();
  }

  private void check(JsonWriter json, CheckResult c, boolean details) {
    ComponentState componentState = stateOf(c.component());
    boolean running = componentState == ComponentState.RUNNING;
    // What the check does to the probe: an optional component never takes readiness down.
    boolean up = !c.critical() || (running && c.isUp());
    json.beginObject().member("name", c.id()).member("status", updown(up)).beginObject("data");
    Health last = c.last();
    if (last != null) {
      for (Map.Entry<String, Object> e : last.details().entrySet()) {
        if (!RESERVED.contains(e.getKey())) {
          json.member(e.getKey(), e.getValue());
        }
      }
    }
    json.member("critical", c.critical());
    json.member("result", c.pending() ? "PENDING" : last.status().name());
    if (!c.critical() && !c.pending() && !c.isUp()) {
      json.member("degraded", true);
    }
    if (!c.pending() && last.status() != c.status()) {
      // Flap damping holds the previous status for now.
      json.member(c.isUp() ? "consecutiveFailures" : "consecutiveSuccesses",
          c.isUp() ? c.consecutiveFailures() : c.consecutiveSuccesses());
    }
    if (!running && componentState != null) {
      json.member("state", componentState.name());
    }
    if (details && c.error() != null) {
      json.member("error", describe(c.error()));
    }
    json.endObject().endObject();
  }

  /**
   * A managed resource: {@code <component>.resource.<name>}, always UP (it informs; a resource that
   * cannot load fails its component's start, or the acquire that needed it).
   */
  private static void resource(JsonWriter json, ResourceHealth r) {
    json.beginObject().member("name", r.component() + ".resource." + r.resource()).member("status", "UP")
        .beginObject("data");
    json.member("resource", r.resource());
    json.member("version", r.version());
    json.member("state", r.state().name());
    json.member("versions", String.join(", ", r.versions()));
    json.member("leasesInUse", r.leasesInUse());
    if (r.lastSwapError() != null) {
      json.member("lastSwapError", r.lastSwapError());
    }
    json.endObject().endObject();
  }

  private static final List<String> RESERVED =
      List.of("critical", "result", "degraded", "consecutiveFailures", "consecutiveSuccesses", "state", "error");

  private void notRunning(JsonWriter json, ComponentStatus c, boolean details) {
    boolean critical = c.component().critical();
    json.beginObject().member("name", c.name()).member("status", updown(!critical)).beginObject("data");
    json.member("critical", critical);
    json.member("state", c.state().name());
    if (!critical) {
      json.member("degraded", true);
    }
    if (c.retry() != null) {
      json.member("attempts", c.retry().attempts());
      if (c.retry().nextAttempt() != null) {
        json.member("nextAttempt", c.retry().nextAttempt().toString());
      }
      if (c.retry().exhausted()) {
        json.member("exhausted", true);
      }
    }
    if (details && c.failure() != null) {
      json.member("error", describe(c.failure()));
    }
    json.endObject().endObject();
  }

  private ComponentState stateOf(String component) {
    return componentStates.get(component);
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
  }

  private static String updown(boolean up) {
    return up ? "UP" : "DOWN";
  }

  @Override
  public String toString() {
    return "HealthReport[" + state + ", " + status + ", started=" + started + ", live=" + live + ", ready="
        + ready + (degraded.isEmpty() ? "" : ", degraded=" + degraded) + (down.isEmpty() ? "" : ", down=" + down)
        + ", checks=" + checks + "]";
  }
}

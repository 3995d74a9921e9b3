package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.Durations;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The runtime's half of the Kubernetes grace-period check (the processor's half runs at compile
 * time with the values it is told): with {@code ordo.kubernetes.grace-period} set, at start, with
 * the settings actually resolved and the application's actual components, the worst-case shutdown
 * — the pre-stop delay, then the drain and the longest chain of stop timeouts (independent stops
 * overlap), capped by the shutdown budget — plus a margin of 2 s must fit in the grace period; a
 * warning names every value otherwise. Runs once, on the thread that calls {@code start()}, before
 * anything starts; reads only immutable data.
 */
final class GracePeriodCheck {
  /** What the JVM needs after the shutdown to exit, and what the kubelet's clock may drift. */
  static final Duration MARGIN = Duration.ofSeconds(2);

  private GracePeriodCheck() {}

  /** The warning for {@code graph} under {@code settings}, or {@code null} when it fits (or no grace period is set). */
  static String warning(ComponentGraph graph, RuntimeSettings settings) {
    Duration grace = settings.gracePeriod;
    if (grace == null) {
      return null;
    }
    int n = graph.controllers.length;
    long[] best = new long[n];
    int[] previous = new int[n];
    int end = -1;
    for (int i : graph.order) {
      ComponentDescriptor d = graph.controllers[i].descriptor();
      long own = d.shutdownHook() == null ? 0
          : Nanos.of(d.shutdownTimeout() != null ? d.shutdownTimeout() : settings.componentShutdownTimeout);
      long before = 0;
      previous[i] = -1;
      for (int dep : graph.dependencies[i]) {
        if (best[dep] > before) {
          before = best[dep];
          previous[i] = dep;
        }
      }
      best[i] = Nanos.add(before, own);
      if (end < 0 || best[i] > best[end]) {
        end = i;
      }
    }
    long stop = end < 0 ? 0 : best[end];
    long delay = Nanos.of(settings.shutdownDelay);
    long drain = Nanos.of(settings.drainTimeout);
    long budget = Nanos.of(settings.shutdownTimeout);
    long needed = Nanos.add(drain, stop);
    boolean capped = budget != Nanos.NO_LIMIT && needed > budget;
    long worst = Nanos.add(delay, capped ? budget : needed);
    if (Nanos.add(worst, Nanos.of(MARGIN)) <= Nanos.of(grace)) {
      return null;
    }
    List<String> chain = new ArrayList<>();
    for (int i = end; i >= 0; i = previous[i]) {
      ComponentDescriptor d = graph.controllers[i].descriptor();
      if (d.shutdownHook() != null) {
        chain.add(d.name() + " " + Durations.format(
            d.shutdownTimeout() != null ? d.shutdownTimeout() : settings.componentShutdownTimeout));
      }
    }
    // The walk went from the chain's last dependent down to its dependencies: the order they stop in.
    return "ordo.kubernetes.grace-period is " + Durations.format(grace) + " (" + settings.gracePeriodSource
        + "), but a shutdown may take " + Durations.format(Duration.ofNanos(worst)) + ": ordo.shutdown.delay "
        + Durations.format(settings.shutdownDelay) + " + ordo.shutdown.drain-timeout "
        + Durations.format(settings.drainTimeout) + " + the stop phase " + Durations.format(Duration.ofNanos(stop))
        + " (the longest chain of stop timeouts: " + (chain.isEmpty() ? "none" : String.join(" -> ", chain)) + ")"
        + (capped ? ", the drain and the stop phase capped by ordo.shutdown.timeout at "
            + Durations.format(settings.shutdownTimeout) : "")
        + ", plus a margin of " + Durations.format(MARGIN) + "; Kubernetes kills the pod before the shutdown"
        + " ends. Raise terminationGracePeriodSeconds (and ordo.kubernetes.grace-period with it), or shorten the"
        + " delay, the drain or a stop timeout on that chain.";
  }

  /** Logs {@link #warning} when there is one. */
  static void check(ComponentGraph graph, RuntimeSettings settings) {
    String warning = warning(graph, settings);
    if (warning != null) {
      Engine.LOG.log(Level.WARNING, warning);
    }
  }
}

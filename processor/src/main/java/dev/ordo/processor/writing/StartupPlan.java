package dev.ordo.processor.writing;

import dev.ordo.processor.kubernetes.TimeoutPath;
import dev.ordo.processor.model.ComponentDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The startup plan of one application, computed at compile time from its graph and its declared
 * timeouts: the waves (components that can start together, each after every component of an
 * earlier wave it depends on), each component's timeouts (declared, or the default the runtime
 * applies), and the worst-case critical paths of startup and of shutdown: the longest chains of
 * timeouts, hooks on other branches overlapping. {@link PlanJsonWriter} and
 * {@link PlanMermaidWriter} write it.
 *
 * @param application the application's name ({@code @OrdoApplication} interface, or
 *     {@code application} for the components of a compilation without one)
 * @param components the components, in a topological order (dependencies first)
 * @param startupDefault the timeout of a start hook that declares none ({@code ordo.startup.timeout})
 * @param shutdownDefault the timeout of a stop hook that declares none ({@code ordo.shutdown.component-timeout})
 * @param waves indices into {@code components}, wave by wave
 * @param startupPath the longest chain of startup timeouts
 * @param shutdownPath the longest chain of shutdown timeouts, in the order the hooks run
 */
public record StartupPlan(String application, List<Component> components, Duration startupDefault,
    Duration shutdownDefault, List<List<Integer>> waves, TimeoutPath startupPath, TimeoutPath shutdownPath) {

  /** Where the plan is written, as JSON. */
  public static final String JSON_RESOURCE = "META-INF/ordo/plan.json";
  /** Where the plan is written, as a Mermaid flowchart. */
  public static final String MERMAID_RESOURCE = "META-INF/ordo/plan.mmd";

  /** Copies the lists. */
  public StartupPlan {
    Objects.requireNonNull(application, "application");
    components = List.copyOf(components);
    waves = waves.stream().map(List::copyOf).toList();
  }

  /**
   * One component of the plan.
   *
   * @param name its name in the application ({@code Store}, {@code Pool[orders]})
   * @param descriptor what the processor read of its class
   * @param hard indices of its hard dependencies among the plan's components
   * @param soft indices of its optional dependencies among the plan's components
   * @param wave its wave, from 0
   */
  public record Component(String name, ComponentDescriptor descriptor, int[] hard, int[] soft, int wave) {
    /** The start hook's timeout: declared, or {@code startupDefault}; empty without a start hook. */
    public Optional<Duration> startupTimeout(Duration startupDefault) {
      return descriptor.startup().map(h -> h.timeout().orElse(startupDefault));
    }

    /** The stop hook's timeout: declared, or {@code shutdownDefault}; empty without a stop hook. */
    public Optional<Duration> shutdownTimeout(Duration shutdownDefault) {
      return descriptor.shutdown().map(h -> h.timeout().orElse(shutdownDefault));
    }
  }

  /**
   * Computes the plan.
   *
   * @param names the components' names, in a topological order
   * @param descriptors their descriptors, in the same order
   * @param hard for each, the indices of its hard dependencies (all lower than its own)
   * @param soft for each, the indices of its optional dependencies (all lower than its own)
   */
  public static StartupPlan of(String application, List<String> names, List<ComponentDescriptor> descriptors,
      List<int[]> hard, List<int[]> soft, Duration startupDefault, Duration shutdownDefault) {
    int n = names.size();
    int[] wave = new int[n];
    List<Component> components = new ArrayList<>(n);
    List<List<Integer>> waves = new ArrayList<>();
    List<int[]> both = new ArrayList<>(n);
    List<Duration> starts = new ArrayList<>(n);
    List<Duration> stops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // An optional dependency orders the start too: a component waits until it has settled.
      int[] all = java.util.stream.IntStream.concat(java.util.Arrays.stream(hard.get(i)),
          java.util.Arrays.stream(soft.get(i))).filter(d -> d < n).toArray();
      both.add(all);
      int w = 0;
      for (int d : all) {
        w = Math.max(w, wave[d] + 1);
      }
      wave[i] = w;
      while (waves.size() <= w) {
        waves.add(new ArrayList<>());
      }
      waves.get(w).add(i);
      Component c = new Component(names.get(i), descriptors.get(i), hard.get(i).clone(), soft.get(i).clone(), w);
      components.add(c);
      starts.add(c.startupTimeout(startupDefault).orElse(Duration.ZERO));
      stops.add(c.shutdownTimeout(shutdownDefault).orElse(Duration.ZERO));
    }
    return new StartupPlan(application, components, startupDefault, shutdownDefault, waves,
        TimeoutPath.longest(names, starts, both, false), TimeoutPath.longest(names, stops, both, true));
  }
}

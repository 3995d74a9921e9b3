package dev.ordo.processor.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The longest chain of timeouts through a dependency graph: how long startup (or shutdown) can take
 * at worst, when every hook runs to its timeout and independent hooks overlap. A component starts
 * after its dependencies, so the worst startup is the heaviest path through the graph; it stops
 * after its dependents, so the worst stop phase is the heaviest path through the reverse graph,
 * which is the same set of paths walked the other way.
 *
 * @param total the sum of the timeouts along the path
 * @param path the components of the path, in the order their hooks run
 */
public record TimeoutPath(Duration total, List<Step> path) {
  /** One component of the path, with the timeout it contributes. */
  public record Step(String name, Duration timeout) {}

  /**
   * The heaviest path.
   *
   * @param names the components' names, in a topological order (dependencies first)
   * @param weights each component's timeout (zero without a hook)
   * @param dependencies for each component, the indices of its dependencies, all lower than its own
   * @param forStop whether the path is for the stop phase: then it runs from dependents to
   *     dependencies
   */
  public static TimeoutPath longest(List<String> names, List<Duration> weights, List<int[]> dependencies,
      boolean forStop) {
    int n = names.size();
    Duration[] best = new Duration[n];
    int[] previous = new int[n];
    int end = -1;
    for (int i = 0; i < n; i++) {
      // The heaviest chain that ends with i: i's weight after its heaviest dependency's chain.
      Duration before = Duration.ZERO;
      previous[i] = -1;
      for (int d : dependencies.get(i)) {
        if (best[d].compareTo(before) > 0) {
          before = best[d];
          previous[i] = d;
        }
      }
      best[i] = saturatedPlus(before, weights.get(i));
      if (end < 0 || best[i].compareTo(best[end]) > 0) {
        end = i;
      }
    }
    if (end < 0) {
      return new TimeoutPath(Duration.ZERO, List.of());
    }
    List<Step> path = new ArrayList<>();
    for (int i = end; i >= 0; i = previous[i]) {
      path.add(new Step(names.get(i), weights.get(i)));
    }
    if (!forStop) {
      Collections.reverse(path); // started dependencies first
    }
    return new TimeoutPath(best[end], List.copyOf(path));
  }

  /** {@code a + b}, or the longest duration when the sum overflows. */
  static Duration saturatedPlus(Duration a, Duration b) {
    try {
      return a.plus(b);
    } catch (ArithmeticException e) {
      return dev.ordo.processor.model.Durations.LONGEST;
    }
  }

  /** The path as {@code A 10s -> B 5s}, with the components' simple names. */
  public String describe() {
    List<String> steps = new ArrayList<>();
    for (Step s : path) {
      steps.add(s.name() + " " + Kubernetes.format(s.timeout()));
    }
    return steps.isEmpty() ? "no hooks" : String.join(" -> ", steps);
  }
}

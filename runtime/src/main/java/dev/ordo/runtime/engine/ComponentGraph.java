package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.LifecycleController;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The components of one application as an index-based graph: for each component, the indices of
 * its dependencies (hard and soft) and of its dependents. Everything here is iterative: a chain of
 * any length is handled without recursion.
 */
final class ComponentGraph {
  /** Shared by every component without edges: most components of a large flat graph. */
  private static final int[] NONE = new int[0];

  final LifecycleController<?>[] controllers;
  /** dependencies[i]: indices of the components i depends on (hard ones first). */
  final int[][] dependencies;
  /** hardCount[i]: how many of dependencies[i] are hard. */
  final int[] hardCount;
  /** dependents[i]: indices of the components that depend on i (hard or soft). */
  final int[][] dependents;
  /** A topological order: every component after all its dependencies. */
  final int[] order;

  private ComponentGraph(LifecycleController<?>[] controllers, int[][] dependencies, int[] hardCount) {
    this.controllers = controllers;
    this.dependencies = dependencies;
    this.hardCount = hardCount;
    int n = controllers.length;
    int[] dependentCount = new int[n];
    for (int[] deps : dependencies) {
      for (int d : deps) {
        dependentCount[d]++;
      }
    }
    dependents = new int[n][];
    for (int i = 0; i < n; i++) {
      dependents[i] = dependentCount[i] == 0 ? NONE : new int[dependentCount[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      for (int d : dependencies[i]) {
        dependents[d][fill[d]++] = i;
      }
    }
    // Kahn's algorithm.
    int[] remaining = new int[n];
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      remaining[i] = dependencies[i].length;
      if (remaining[i] == 0) {
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int c = queue[head++];
      for (int d : dependents[c]) {
        if (--remaining[d] == 0) {
          queue[tail++] = d;
        }
      }
    }
    if (tail < n) {
      throw new ConfigurationException(describeCycle(remaining));
    }
    order = queue;
  }

  /**
   * Builds the graph of {@code controllers}.
   *
   * @throws ConfigurationException if a component is given twice, a dependency's instance is
   *     missing, or the dependencies form a cycle
   */
  static ComponentGraph of(List<LifecycleController<?>> controllers) {
    int n = controllers.size();
    Map<String, Integer> index = new HashMap<>(n * 2);
    LifecycleController<?>[] array = controllers.toArray(new LifecycleController<?>[0]);
    for (int i = 0; i < n; i++) {
      Integer previous = index.put(array[i].descriptor().key(), i);
      if (previous != null) {
        throw new ConfigurationException(
            "Component " + array[i].descriptor().name() + " was given twice; an application holds"
                + " one instance of each component class. Remove one of the component(...) calls.");
      }
    }
    int[][] dependencies = new int[n][];
    int[] hardCount = new int[n];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ComponentDescriptor d = array[i].descriptor();
      List<String> hard = d.hardDependencies();
      List<String> soft = d.softDependencies();
      int[] deps = hard.isEmpty() && soft.isEmpty() ? NONE : new int[hard.size() + soft.size()];
      int k = 0;
      for (String key : hard) {
        deps[k++] = lookup(index, d, key, false, missing);
      }
      for (String key : soft) {
        deps[k++] = lookup(index, d, key, true, missing);
      }
      dependencies[i] = deps;
      hardCount[i] = hard.size();
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException(String.join("\n", missing));
    }
    if (hasSoftEdgeInCycle(dependencies, hardCount)) {
      dropSoftEdgesInCycles(dependencies, hardCount);
    }
    return new ComponentGraph(array, dependencies, hardCount);
  }

  /**
   * An optional edge that closes a cycle cannot order startup: the cycle's components could never
   * begin. Like the processor (which warns with [Ordo/SoftCycle]), the runtime lets such an edge
   * yield: the dependent starts without waiting for that dependency. Cycles of hard edges remain
   * errors.
   */
  private static boolean hasSoftEdgeInCycle(int[][] dependencies, int[] hardCount) {
    for (int i = 0; i < dependencies.length; i++) {
      if (dependencies[i].length > hardCount[i]) {
        return true;
      }
    }
    return false;
  }

  private static void dropSoftEdgesInCycles(int[][] dependencies, int[] hardCount) {
    int[] component = stronglyConnectedComponents(dependencies);
    for (int i = 0; i < dependencies.length; i++) {
      int[] deps = dependencies[i];
      int kept = hardCount[i];
      for (int k = hardCount[i]; k < deps.length; k++) {
        if (component[deps[k]] != component[i]) {
          deps[kept++] = deps[k];
        }
      }
      if (kept < deps.length) {
        dependencies[i] = java.util.Arrays.copyOf(deps, kept);
      }
    }
  }

  /** Kosaraju's algorithm with explicit stacks: for each node, the id of its strongly connected component. */
  static int[] stronglyConnectedComponents(int[][] dependencies) {
    int n = dependencies.length;
    // Reverse edges: dependents.
    int[] count = new int[n];
    for (int[] deps : dependencies) {
      for (int d : deps) {
        count[d]++;
      }
    }
    int[][] reverse = new int[n][];
    for (int i = 0; i < n; i++) {
      reverse[i] = new int[count[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      for (int d : dependencies[i]) {
        reverse[d][fill[d]++] = i;
      }
    }
    // Pass 1: finishing order of a depth-first search over dependencies.
    int[] finished = new int[n];
    int finishedCount = 0;
    boolean[] visited = new boolean[n];
    int[] stack = new int[n];
    int[] next = new int[n];
    for (int root = 0; root < n; root++) {
      if (visited[root]) {
        continue;
      }
      int top = 0;
      stack[top++] = root;
      visited[root] = true;
      next[root] = 0;
      while (top > 0) {
        int v = stack[top - 1];
        if (next[v] < dependencies[v].length) {
          int w = dependencies[v][next[v]++];
          if (!visited[w]) {
            visited[w] = true;
            next[w] = 0;
            stack[top++] = w;
          }
        } else {
          finished[finishedCount++] = v;
          top--;
        }
      }
    }
    // Pass 2: over reverse edges, in reverse finishing order.
    int[] component = new int[n];
    java.util.Arrays.fill(component, -1);
    int id = 0;
    for (int k = n - 1; k >= 0; k--) {
      int root = finished[k];
      if (component[root] >= 0) {
        continue;
      }
      int top = 0;
      stack[top++] = root;
      component[root] = id;
      while (top > 0) {
        int v = stack[--top];
        for (int w : reverse[v]) {
          if (component[w] < 0) {
            component[w] = id;
            stack[top++] = w;
          }
        }
      }
      id++;
    }
    return component;
  }

  private static int lookup(
      Map<String, Integer> index, ComponentDescriptor d, String key, boolean soft, List<String> missing) {
    Integer i = index.get(key);
    if (i == null) {
      missing.add(
          "Component " + d.name() + " depends on " + key.replace('$', '.')
              + (soft ? " (optional = true)" : "")
              + ", but no instance of it was given to the builder: add .component(...) with an"
              + " instance of " + key.replace('$', '.') + ", or remove the @DependsOn.");
      return -1;
    }
    return i;
  }

  int size() {
    return controllers.length;
  }

  /** Describes one cycle among the components Kahn's algorithm could not order. */
  private String describeCycle(int[] remaining) {
    int n = controllers.length;
    // Walk dependencies from any unordered component; every unordered component has an unordered
    // dependency, so the walk must revisit a component: that is the cycle.
    int start = 0;
    while (remaining[start] == 0) {
      start++;
    }
    int[] seenAt = new int[n];
    java.util.Arrays.fill(seenAt, -1);
    List<Integer> path = new ArrayList<>();
    int c = start;
    while (seenAt[c] < 0) {
      seenAt[c] = path.size();
      path.add(c);
      int next = -1;
      for (int d : dependencies[c]) {
        if (remaining[d] > 0) {
          next = d;
          break;
        }
      }
      c = next;
    }
    StringBuilder s = new StringBuilder("The components form a dependency cycle; no startup order exists:");
    List<Integer> cycle = path.subList(seenAt[c], path.size());
    for (int k = 0; k < cycle.size(); k++) {
      int from = cycle.get(k);
      int to = cycle.get((k + 1) % cycle.size());
      s.append("\n    ").append(controllers[from].descriptor().name())
          .append(" depends on ").append(controllers[to].descriptor().name());
    }
    s.append("\n  help: remove one of these dependencies, or make one optional");
    return s.toString();
  }
}

package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.LifecycleController;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The components of one application as an index-based graph: for each component, the indices of
 * its dependencies (hard and soft) and of its dependents. Everything here is iterative: a chain of
 * any length is handled without recursion. Not API: {@code Ordo.Builder} builds one, by
 * {@link #of} from the components' descriptors, or by {@link #ofPlan} from a compile-time plan.
 *
 * <h2>How a dependency is resolved ({@link #of})</h2>
 * A dependency names a class by its binary name ({@code @DependsOn}), or a hand-written key. It
 * is the component whose {@link ComponentDescriptor#key() key} equals it; when there is none,
 * every instance of the class of that binary name (keyed instances: a component that depends on
 * {@code ConnectionPool} waits for every {@code ConnectionPool[...]}). A hard dependency that
 * matches nothing is an error; a soft one is dropped, and the dependent starts without it.
 */
public final class ComponentGraph {
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

  /**
   * @param order a topological order already known (the components' indices are one), or
   *     {@code null} to compute one, failing on a cycle
   */
  private ComponentGraph(LifecycleController<?>[] controllers, int[][] dependencies, int[] hardCount, int[] order) {
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
    this.order = order != null ? order : kahn();
  }

  private int[] kahn() {
    int n = controllers.length;
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
    return queue;
  }

  /**
   * Builds the graph of {@code controllers}, resolving each one's dependencies from its
   * descriptor (see the class comment).
   *
   * @throws ConfigurationException if a component is given twice, a hard dependency's instance is
   *     missing, or the dependencies form a cycle
   */
  public static ComponentGraph of(List<LifecycleController<?>> controllers) {
    LifecycleController<?>[] all = controllers.toArray(new LifecycleController<?>[0]);
    requireDistinctInstances(all);
    return resolve(all, 0, null, null, Set.of(), Map.of());
  }

  /**
   * One object is one component: given twice (under two keys, or once by hand and once through a
   * controller), its hooks would run twice and it could be stopped while a dependent of its other
   * self still uses it.
   *
   * @throws ConfigurationException naming both places it was given
   */
  static void requireDistinctInstances(LifecycleController<?>[] all) {
    java.util.IdentityHashMap<Object, LifecycleController<?>> seen = new java.util.IdentityHashMap<>(all.length * 2);
    for (LifecycleController<?> c : all) {
      LifecycleController<?> first = seen.put(c.component(), c);
      if (first != null) {
        throw new ConfigurationException("The same instance of " + c.component().getClass().getName()
            + " was given twice, as " + first.descriptor().name() + " and as " + c.descriptor().name()
            + "; one object is one component (its hooks would run twice, and it could be stopped while a"
            + " dependent still used it). Give each key an instance of its own.");
      }
    }
  }

  /**
   * The graph of a compile-time plan, which is already in topological order: no dependency is
   * resolved, no order computed. {@code hard[i]} and {@code soft[i]} hold indices below {@code i}.
   *
   * @throws IllegalArgumentException if the arrays' lengths differ or an index is not below its
   *     component's
   */
  public static ComponentGraph ofPlan(LifecycleController<?>[] controllers, int[][] hard, int[][] soft) {
    requireDistinctInstances(controllers);
    int n = controllers.length;
    if (hard.length != n || soft.length != n) {
      throw new IllegalArgumentException(n + " controllers, " + hard.length + " rows of hard and "
          + soft.length + " rows of soft dependencies");
    }
    int[][] dependencies = new int[n][];
    int[] hardCount = new int[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      int h = hard[i].length;
      int k = soft[i].length;
      int[] deps = h + k == 0 ? NONE : new int[h + k];
      System.arraycopy(hard[i], 0, deps, 0, h);
      System.arraycopy(soft[i], 0, deps, h, k);
      for (int d : deps) {
        if (d < 0 || d >= i) {
          throw new IllegalArgumentException("Component #" + i + " (" + controllers[i].descriptor().name()
              + ") depends on #" + d + ": the plan is not in topological order");
        }
      }
      dependencies[i] = deps;
      hardCount[i] = h;
    }
    return new ComponentGraph(controllers, dependencies, hardCount, order);
  }

  /**
   * The graph of a compile-time plan's components followed by {@code others}, given by hand. The
   * plan's components keep the plan's edges ({@code hard}, {@code soft}: indices into
   * {@code planned}); a dependency in their descriptors that names a class or key of the plan
   * ({@code inPlan}) is the plan's business and ignored here, any other is resolved like on
   * {@link #of}, among {@code others}. The others' dependencies are resolved like on {@link #of},
   * among all.
   *
   * @param leftOut the binary names of the plan's classes left out, with the {@code without(...)}
   *     that did it: named in the message when a hard dependency on one is missing
   */
  public static ComponentGraph ofPlanAndOthers(LifecycleController<?>[] planned, int[][] hard, int[][] soft,
      Set<String> inPlan, List<LifecycleController<?>> others, Map<String, String> leftOut) {
    LifecycleController<?>[] all = new LifecycleController<?>[planned.length + others.size()];
    System.arraycopy(planned, 0, all, 0, planned.length);
    for (int i = 0; i < others.size(); i++) {
      all[planned.length + i] = others.get(i);
    }
    requireDistinctInstances(all);
    return resolve(all, planned.length, hard, soft, inPlan, leftOut);
  }

  /** The components, in the order given (the indices of this graph). */
  public List<LifecycleController<?>> controllers() {
    return Collections.unmodifiableList(Arrays.asList(controllers));
  }

  private static ComponentGraph resolve(LifecycleController<?>[] all, int planned, int[][] planHard,
      int[][] planSoft, Set<String> inPlan, Map<String, String> leftOut) {
    Resolver resolver = new Resolver(all);
    int n = all.length;
    int[][] dependencies = new int[n][];
    int[] hardCount = new int[n];
    List<String> missing = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    Edges edges = new Edges();
    for (int i = 0; i < n; i++) {
      ComponentDescriptor d = all[i].descriptor();
      List<String> hard = d.hardDependencies();
      List<String> soft = d.softDependencies();
      boolean fromPlan = i < planned;
      if (!fromPlan && hard.isEmpty() && soft.isEmpty()) {
        dependencies[i] = NONE;
        continue;
      }
      edges.size = 0;
      if (fromPlan) {
        edges.addAll(planHard[i]);
      }
      for (String key : hard) {
        if ((!fromPlan || !inPlan.contains(key)) && !resolver.addTo(edges, key)) {
          missing.add(describeMissing(d, key, leftOut));
        }
      }
      hardCount[i] = edges.size;
      if (fromPlan) {
        edges.addAll(planSoft[i]);
      }
      for (String key : soft) {
        if ((!fromPlan || !inPlan.contains(key)) && !resolver.addTo(edges, key)) {
          dropped.add(d.name() + " -> " + key.replace('$', '.'));
        }
      }
      dependencies[i] = edges.size == 0 ? NONE : Arrays.copyOf(edges.indices, edges.size);
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException(String.join("\n", missing));
    }
    if (!dropped.isEmpty()) {
      Engine.LOG.log(Level.DEBUG, () -> "Optional dependencies not given to the builder; their dependents start"
          + " without them: " + String.join(", ", dropped));
    }
    if (hasSoftEdgeInCycle(dependencies, hardCount)) {
      dropSoftEdgesInCycles(dependencies, hardCount);
    }
    return new ComponentGraph(all, dependencies, hardCount, null);
  }

  private static String describeMissing(ComponentDescriptor d, String key, Map<String, String> leftOut) {
    String name = key.replace('$', '.');
    String without = leftOut.get(key);
    if (without != null) {
      return "Component " + d.name() + " depends on " + name + ", which was left out with " + without
          + ": keep it, or make the dependency optional (@DependsOn(value = ..., optional = true)) to start"
          + " without it.";
    }
    return "Component " + d.name() + " depends on " + name + ", but no instance of it was given to the builder:"
        + " add .component(...) with an instance of " + name + ", make the dependency optional"
        + " (@DependsOn(value = ..., optional = true)) to start without it, or remove the @DependsOn.";
  }

  /** The dependencies of one component while they are resolved. */
  private static final class Edges {
    int[] indices = new int[8];
    int size;

    void add(int index) {
      if (size == indices.length) {
        indices = Arrays.copyOf(indices, size * 2);
      }
      indices[size++] = index;
    }

    void addAll(int[] more) {
      for (int index : more) {
        add(index);
      }
    }
  }

  /** Finds components by key, else by class (every instance); the index by class is made only when needed. */
  private static final class Resolver {
    private final LifecycleController<?>[] all;
    private final Map<String, Integer> byKey;
    /** Binary class name -> the first instance's index; {@link #nextOfClass} chains the others. */
    private Map<String, Integer> byClass;
    private int[] nextOfClass;

    Resolver(LifecycleController<?>[] all) {
      this.all = all;
      this.byKey = new HashMap<>(all.length * 2);
      for (int i = 0; i < all.length; i++) {
        Integer previous = byKey.put(all[i].descriptor().key(), i);
        if (previous != null) {
          throw new ConfigurationException("Component " + all[i].descriptor().name() + " was given twice."
              + " Remove one of the component(...) calls, or, to run several instances of one class, give"
              + " each a key of its own: component(\"some-key\", instance).");
        }
      }
    }

    /** Adds the components {@code key} names to {@code edges}; false if it names none. */
    boolean addTo(Edges edges, String key) {
      Integer i = byKey.get(key);
      if (i != null) {
        edges.add(i);
        return true;
      }
      if (byClass == null) {
        indexByClass();
      }
      Integer first = byClass.get(key);
      if (first == null) {
        return false;
      }
      for (int c = first; c >= 0; c = nextOfClass[c]) {
        edges.add(c);
      }
      return true;
    }

    private void indexByClass() {
      byClass = new HashMap<>(all.length * 2);
      nextOfClass = new int[all.length];
      int[] last = new int[all.length];
      for (int i = 0; i < all.length; i++) {
        nextOfClass[i] = -1;
        Integer first = byClass.putIfAbsent(all[i].descriptor().type().getName(), i);
        if (first == null) {
          last[i] = i;
        } else {
          nextOfClass[last[first]] = i;
          last[first] = i;
        }
      }
    }
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

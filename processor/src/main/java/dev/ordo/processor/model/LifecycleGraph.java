package dev.ordo.processor.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The "must start before" graph of the components: an edge {@code a -> b} says that {@code a}
 * depends on {@code b}. Nodes are named by binary class name, and everything this class returns is
 * sorted, so diagnostics come out the same on every build.
 *
 * <p>Every algorithm here is iterative: a chain of 10,000 components needs no deeper stack than a
 * chain of two.
 */
public final class LifecycleGraph {
  private final List<String> nodes;
  private final Map<String, Integer> indexOf;
  private final int[][] successors;

  private LifecycleGraph(Map<String, ? extends Collection<String>> edges) {
    TreeSet<String> all = new TreeSet<>(edges.keySet());
    edges.values().forEach(all::addAll);
    this.nodes = List.copyOf(all);
    this.indexOf = new HashMap<>(nodes.size() * 2);
    for (int i = 0; i < nodes.size(); i++) {
      indexOf.put(nodes.get(i), i);
    }
    this.successors = new int[nodes.size()][];
    for (int i = 0; i < nodes.size(); i++) {
      Collection<String> targets = edges.get(nodes.get(i));
      successors[i] = (targets == null ? new TreeSet<String>() : new TreeSet<>(targets)).stream().mapToInt(indexOf::get).toArray();
    }
  }

  /** A graph with the edges {@code from -> each of edges.get(from)}; targets become nodes too. */
  public static LifecycleGraph of(Map<String, ? extends Collection<String>> edges) {
    edges.forEach((from, to) -> {
      Objects.requireNonNull(from, "node");
      to.forEach(t -> Objects.requireNonNull(t, "node"));
    });
    return new LifecycleGraph(edges);
  }

  /** Starts a graph built edge by edge. */
  public static Builder builder() {
    return new Builder();
  }

  /** The nodes, sorted. */
  public List<String> nodes() {
    return nodes;
  }

  /** The direct dependencies of {@code node}, sorted; empty for an unknown node. */
  public List<String> dependenciesOf(String node) {
    Integer index = indexOf.get(node);
    if (index == null) {
      return List.of();
    }
    List<String> result = new ArrayList<>(successors[index].length);
    for (int s : successors[index]) {
      result.add(nodes.get(s));
    }
    return result;
  }

  /**
   * The strongly connected components (Tarjan's algorithm, without recursion), each sorted, in the
   * order of their first node. A node on no cycle is a component of its own.
   */
  public List<List<String>> stronglyConnectedComponents() {
    int[] componentOf = componentIds();
    TreeMap<String, List<String>> byFirst = new TreeMap<>();
    Map<Integer, List<String>> byId = new HashMap<>();
    for (int v = 0; v < nodes.size(); v++) {
      byId.computeIfAbsent(componentOf[v], id -> new ArrayList<>()).add(nodes.get(v));
    }
    for (List<String> members : byId.values()) {
      byFirst.put(members.get(0), Collections.unmodifiableList(members));
    }
    return List.copyOf(byFirst.values());
  }

  /**
   * Every cycle, once per strongly connected component that has one (a self-edge counts). Each is
   * a walk that starts at the component's first node in sorted order, passes through every node
   * of the component, and returns to the start: the walk {@code [a, b, c]} means {@code a -> b ->
   * c -> a}. When the component is a simple ring, the walk is that ring; otherwise a node may
   * appear more than once. Cycles are sorted by their first node.
   */
  public List<List<String>> cycles() {
    int n = nodes.size();
    int[] componentOf = componentIds();
    int[] size = new int[n];
    for (int v = 0; v < n; v++) {
      size[componentOf[v]]++;
    }
    List<List<String>> cycles = new ArrayList<>();
    boolean[] done = new boolean[n];
    Search search = new Search(n);
    for (int start = 0; start < n; start++) {
      int id = componentOf[start];
      if (done[id]) {
        continue;
      }
      done[id] = true; // nodes are visited in sorted order, so start is the component's first
      if (size[id] == 1 && !hasEdge(start, start)) {
        continue;
      }
      cycles.add(walkThrough(start, componentOf, size[id], search));
    }
    return List.copyOf(cycles);
  }

  private boolean hasEdge(int from, int to) {
    return Arrays.binarySearch(successors[from], to) >= 0;
  }

  /** Greedy walk: from where it stands, go to the nearest unvisited member, then back home. */
  private List<String> walkThrough(int start, int[] componentOf, int members, Search search) {
    List<String> walk = new ArrayList<>();
    Set<Integer> visited = new HashSet<>();
    visited.add(start);
    int current = start;
    walk.add(nodes.get(start));
    while (visited.size() < members) {
      List<Integer> path = search.shortestPath(current, componentOf, v -> !visited.contains(v));
      for (int i = 1; i < path.size(); i++) {
        walk.add(nodes.get(path.get(i)));
        visited.add(path.get(i));
      }
      current = path.get(path.size() - 1);
    }
    if (current == start) {
      return walk; // only for a self-edge: [a] means a -> a
    }
    List<Integer> home = search.shortestPath(current, componentOf, v -> v == start);
    for (int i = 1; i < home.size() - 1; i++) {
      walk.add(nodes.get(home.get(i)));
    }
    return Collections.unmodifiableList(walk);
  }

  /** Tarjan's algorithm with an explicit stack in place of recursion; returns a component id per node. */
  private int[] componentIds() {
    int n = nodes.size();
    int[] index = new int[n];
    int[] low = new int[n];
    int[] nextEdge = new int[n];
    int[] componentOf = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    int[] sccStack = new int[n];
    int sccTop = 0;
    int[] callStack = new int[n];
    int callTop = 0;
    int counter = 0;
    int components = 0;
    for (int root = 0; root < n; root++) {
      if (index[root] != -1) {
        continue;
      }
      index[root] = low[root] = counter++;
      sccStack[sccTop++] = root;
      onStack[root] = true;
      callStack[callTop++] = root;
      while (callTop > 0) {
        int v = callStack[callTop - 1];
        if (nextEdge[v] < successors[v].length) {
          int w = successors[v][nextEdge[v]++];
          if (index[w] == -1) {
            index[w] = low[w] = counter++;
            sccStack[sccTop++] = w;
            onStack[w] = true;
            callStack[callTop++] = w;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        callTop--;
        if (low[v] == index[v]) {
          int w;
          do {
            w = sccStack[--sccTop];
            onStack[w] = false;
            componentOf[w] = components;
          } while (w != v);
          components++;
        }
        if (callTop > 0) {
          int parent = callStack[callTop - 1];
          low[parent] = Math.min(low[parent], low[v]);
        }
      }
    }
    return componentOf;
  }

  /** Breadth-first search inside one strongly connected component, reusing its arrays. */
  private final class Search {
    private final int[] parent;
    private final int[] seenIn;
    private int generation;

    Search(int n) {
      parent = new int[n];
      seenIn = new int[n];
    }

    List<Integer> shortestPath(int from, int[] componentOf, IntPredicate goal) {
      generation++;
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      queue.add(from);
      seenIn[from] = generation;
      parent[from] = -1;
      boolean first = true;
      while (!queue.isEmpty()) {
        int v = queue.poll();
        if (!first && goal.test(v)) {
          ArrayList<Integer> path = new ArrayList<>();
          for (int u = v; u != -1; u = parent[u]) {
            path.add(u);
          }
          Collections.reverse(path);
          return path;
        }
        first = false;
        for (int w : successors[v]) {
          if (componentOf[w] != componentOf[from]) {
            continue;
          }
          if (seenIn[w] != generation) {
            seenIn[w] = generation;
            parent[w] = v;
            queue.add(w);
          }
        }
      }
      throw new IllegalStateException("no path inside a strongly connected component");
    }
  }

  /** Builds a {@link LifecycleGraph} edge by edge. */
  public static final class Builder {
    private final Map<String, List<String>> edges = new HashMap<>();

    private Builder() {}

    /** Adds a node without edges (a no-op if it exists). */
    public Builder addNode(String node) {
      edges.computeIfAbsent(Objects.requireNonNull(node, "node"), k -> new ArrayList<>());
      return this;
    }

    /** Adds the edge {@code from -> to}: {@code from} depends on {@code to}. */
    public Builder addEdge(String from, String to) {
      addNode(to);
      edges.computeIfAbsent(Objects.requireNonNull(from, "from"), k -> new ArrayList<>()).add(to);
      return this;
    }

    /** Returns the graph. */
    public LifecycleGraph build() {
      return new LifecycleGraph(edges);
    }
  }
}

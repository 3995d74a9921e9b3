package dev.ordo.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleGraphTest {
  private static String node(int i) {
    return String.format("c%05d", i);
  }

  @Test
  void chainOfTenThousandHasNoCycleAndNeedsNoDeepStack() {
    LifecycleGraph.Builder builder = LifecycleGraph.builder();
    for (int i = 0; i < 9_999; i++) {
      builder.addEdge(node(i), node(i + 1));
    }
    LifecycleGraph graph = builder.build();
    assertEquals(10_000, graph.nodes().size());
    assertEquals(List.of(), graph.cycles());
    assertEquals(10_000, graph.stronglyConnectedComponents().size());
  }

  @Test
  void ringOfTenThousandIsOneCycleWithItsFullPath() {
    LifecycleGraph.Builder builder = LifecycleGraph.builder();
    for (int i = 0; i < 10_000; i++) {
      builder.addEdge(node(i), node((i + 1) % 10_000));
    }
    List<List<String>> cycles = builder.build().cycles();
    assertEquals(1, cycles.size());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      expected.add(node(i));
    }
    assertEquals(expected, cycles.get(0));
  }

  @Test
  void cycleStartsAtItsFirstNodeInSortedOrder() {
    LifecycleGraph graph = LifecycleGraph.of(Map.of(
        "OrderStore", List.of("Cache"),
        "Cache", List.of("Metrics"),
        "Metrics", List.of("OrderStore")));
    assertEquals(List.of(List.of("Cache", "Metrics", "OrderStore")), graph.cycles());
  }

  @Test
  void selfEdgeIsACycle() {
    LifecycleGraph graph = LifecycleGraph.of(Map.of("a", List.of("a"), "b", List.of("a")));
    assertEquals(List.of(List.of("a")), graph.cycles());
  }

  @Test
  void disjointCyclesAreReportedSeparatelyAndSorted() {
    LifecycleGraph graph = LifecycleGraph.of(Map.of(
        "d", List.of("c"), "c", List.of("d"),
        "b", List.of("a"), "a", List.of("b"),
        "e", List.of("a", "c")));
    assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), graph.cycles());
    assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")),
        graph.stronglyConnectedComponents());
  }

  @Test
  void componentWithoutASimpleRingIsWalkedThroughEveryMember() {
    // a <-> b and a <-> c: no simple cycle holds all three; the walk passes a twice.
    LifecycleGraph graph = LifecycleGraph.of(Map.of(
        "a", List.of("b", "c"), "b", List.of("a"), "c", List.of("a")));
    assertEquals(List.of(List.of("a", "b", "a", "c")), graph.cycles());
  }

  @Test
  void deepTreeWithCycleAtTheBottom() {
    LifecycleGraph.Builder builder = LifecycleGraph.builder();
    for (int i = 0; i < 20_000; i++) {
      builder.addEdge(node(i), node(i + 1));
    }
    builder.addEdge(node(20_000), node(19_998));
    List<List<String>> cycles = builder.build().cycles();
    assertEquals(List.of(List.of(node(19_998), node(19_999), node(20_000))), cycles);
  }

  @Test
  void dependenciesAreSorted() {
    LifecycleGraph graph = LifecycleGraph.of(Map.of("a", List.of("c", "b")));
    assertEquals(List.of("b", "c"), graph.dependenciesOf("a"));
    assertTrue(graph.dependenciesOf("unknown").isEmpty());
  }
}

package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.base.Suppressions;
import dev.ordo.processor.validation.DependencyEdges.Edge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;

/**
 * Finds every dependency cycle, with strongly connected components, over the whole graph the
 * compilation reaches (components of other jars included), and reports each once, with a path
 * through all its members, on the {@code @DependsOn} of its first member in sorted order that this
 * compilation declares:
 *
 * <ul>
 *   <li>a cycle of hard edges is an error: no startup order exists;
 *   <li>a cycle of soft ({@code optional = true}) edges only is an error too: every edge of it
 *       says "start after the other one if you can", so none can decide;
 *   <li>a cycle of hard and soft edges (and none of the two above in it) is a warning: the runtime
 *       lets the soft edges inside a cycle yield, so they do not order startup. Suppressed by
 *       {@code @SuppressWarnings("ordo:soft-cycle")} on any class of the cycle.
 * </ul>
 *
 * <p>A component that merely depends on a cycle is not reported. A cycle among classes of other
 * jars only was reported when they were compiled. Keeps what it reported, so that a cycle is not
 * reported again in a later round.
 */
public final class DependencyCycleRule implements GraphRule {
  private final Set<String> reported = new HashSet<>();

  @Override
  public void validate(RoundComponents components, Reporter reporter) {
    DependencyEdges edges = DependencyEdges.of(components);
    Set<String> inErrors = new HashSet<>();
    for (List<String> cycle : edges.graph(true, false).cycles()) {
      inErrors.addAll(cycle);
      report(edges, cycle, Kind.HARD, reporter);
    }
    for (List<String> cycle : edges.graph(false, true).cycles()) {
      inErrors.addAll(cycle);
      report(edges, cycle, Kind.SOFT, reporter);
    }
    for (List<String> cycle : edges.graph(true, true).cycles()) {
      // Without a hard or an all-soft cycle in it, a cycle of the whole graph mixes both kinds.
      if (cycle.stream().noneMatch(inErrors::contains) && !suppressed(edges, cycle)) {
        report(edges, cycle, Kind.MIXED, reporter);
      }
    }
  }

  /** Which edges a cycle is made of. */
  private enum Kind {
    HARD, SOFT, MIXED;

    boolean accepts(Edge edge) {
      return this == MIXED || edge.optional() == (this == SOFT);
    }
  }

  private void report(DependencyEdges edges, List<String> walk, Kind kind, Reporter reporter) {
    String at = walk.stream().filter(edges::inCompilation).sorted().findFirst().orElse(null);
    if (at == null || !reported.add(kind + " " + walk)) {
      return; // no member declared here: reported when its jar was compiled
    }
    List<String> rotated = rotate(walk, at);
    StringBuilder path = new StringBuilder();
    boolean allConstructors = true;
    for (int i = 0; i < rotated.size(); i++) {
      String from = rotated.get(i);
      String to = rotated.get((i + 1) % rotated.size());
      boolean soft = kind == Kind.SOFT
          || (kind == Kind.MIXED && edges.edgesOf(from).stream().noneMatch(e -> e.to().equals(to) && !e.optional()));
      boolean constructor = edges.edgesOf(from).stream()
          .anyMatch(e -> e.to().equals(to) && kind.accepts(e) && e.byConstructor());
      allConstructors &= constructor;
      path.append(i == 0 ? "" : "\n").append("    ").append(edges.displayName(from))
          .append(constructor ? " takes " : " depends on ").append(edges.displayName(to))
          .append(constructor ? " in its constructor" : "")
          .append(soft ? " (optional = true)" : "");
    }
    Location location = locationOfEdge(edges, at, rotated.get(1 % rotated.size()), kind);
    switch (kind) {
      case HARD:
        reporter.report(allConstructors ? Message.CONSTRUCTOR_CYCLE : Message.DEPENDENCY_CYCLE, location, path);
        break;
      case SOFT:
        reporter.report(Message.OPTIONAL_DEPENDENCY_CYCLE, location, path);
        break;
      default:
        reporter.report(Message.SOFT_CYCLE, location, path, ignoredEdges(edges, walk));
    }
  }

  /** The closed walk {@code walk}, starting at its first visit of {@code start}. */
  private static List<String> rotate(List<String> walk, String start) {
    int i = walk.indexOf(start);
    List<String> rotated = new ArrayList<>(walk.subList(i, walk.size()));
    rotated.addAll(walk.subList(0, i));
    return rotated;
  }

  /** The soft edges between members of the cycle, which the runtime lets yield. */
  private static String ignoredEdges(DependencyEdges edges, List<String> cycle) {
    Set<String> members = new TreeSet<>(cycle);
    List<String> ignored = new ArrayList<>();
    for (String from : members) {
      for (Edge edge : edges.edgesOf(from)) {
        if (edge.optional() && members.contains(edge.to())) {
          ignored.add(edges.displayName(from) + " does not wait for " + edges.displayName(edge.to()));
        }
      }
    }
    return ignored.stream().distinct().collect(Collectors.joining("; "));
  }

  private static boolean suppressed(DependencyEdges edges, List<String> cycle) {
    for (String member : cycle) {
      TypeElement type = edges.nodes().get(member);
      if (edges.inCompilation(member) && Suppressions.isSuppressed(type, Message.SOFT_CYCLE)) {
        return true;
      }
    }
    return false;
  }

  private static Location locationOfEdge(DependencyEdges edges, String from, String to, Kind kind) {
    TypeElement type = edges.nodes().get(from);
    for (Edge edge : edges.edgesOf(from)) {
      if (edge.to().equals(to) && kind.accepts(edge)) {
        return edge.location(type);
      }
    }
    return Location.of(type);
  }
}

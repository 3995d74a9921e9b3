package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.assembly.Injection;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.model.LifecycleGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;

/**
 * The {@code @DependsOn} edges of the whole graph that the components of this compilation reach:
 * their own, and those of every class they depend on, directly or not, read from its class file
 * when it comes from another jar. So a cycle closed across modules is found like any other.
 * Built without recursion, by binary name, sorted.
 */
final class DependencyEdges {
  /**
   * One edge, with what diagnostics point at: the {@code @DependsOn} declaration, or (for an edge
   * a constructor implies) the constructor parameter, whichever declares it.
   */
  record Edge(String from, String to, TypeElement target, boolean optional, DependsOnDeclaration declaration,
      VariableElement parameter) {
    /** Whether the constructor takes the dependency (the edge may be declared too). */
    boolean byConstructor() {
      return parameter != null;
    }

    /** Where a diagnostic about this edge points. */
    Location location(TypeElement type) {
      return declaration != null
          ? Location.of(type, declaration.annotation(), declaration.value())
          : Location.of(parameter);
    }
  }

  private final SortedMap<String, TypeElement> nodes;
  private final SortedMap<String, List<Edge>> edges;
  private final RoundComponents components;

  private DependencyEdges(
      SortedMap<String, TypeElement> nodes, SortedMap<String, List<Edge>> edges, RoundComponents components) {
    this.nodes = nodes;
    this.edges = edges;
    this.components = components;
  }

  /** The edges reachable from every component of the compilation so far. */
  static DependencyEdges of(RoundComponents components) {
    SortedMap<String, TypeElement> nodes = new TreeMap<>(components.all());
    SortedMap<String, List<Edge>> edges = new TreeMap<>();
    ArrayDeque<String> pending = new ArrayDeque<>(nodes.keySet());
    while (!pending.isEmpty()) {
      String from = pending.poll();
      List<Edge> out = direct(from, nodes.get(from));
      for (Edge edge : out) {
        if (nodes.putIfAbsent(edge.to(), edge.target()) == null) {
          pending.add(edge.to()); // a class of another jar (or one waiting for a later round)
        }
      }
      edges.put(from, Collections.unmodifiableList(out));
    }
    return new DependencyEdges(nodes, edges, components);
  }

  /**
   * The edges out of {@code type} (binary name {@code from}): its {@code @DependsOn} declarations,
   * then what its constructor takes that they do not declare.
   */
  static List<Edge> direct(String from, TypeElement type) {
    List<Edge> out = new ArrayList<>();
    List<Injection.Parameter> parameters = Injection.of(type).edges();
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(type)) {
      TypeElement target = targetOf(dependsOn);
      if (target == null) {
        continue; // unresolved, or not a class: reported elsewhere
      }
      out.add(new Edge(from, ComponentReader.nameOf(target).binaryName(), target, dependsOn.optional(), dependsOn,
          parameterFor(parameters, target)));
    }
    for (Injection.Parameter parameter : parameters) {
      TypeElement target = parameter.component();
      String to = ComponentReader.nameOf(target).binaryName();
      if (to.equals(from) || out.stream().anyMatch(e -> e.to().equals(to))) {
        continue;
      }
      out.add(new Edge(from, to, target, parameter.kind() == Injection.Kind.OPTIONAL_COMPONENT, null,
          parameter.element()));
    }
    return out;
  }

  /** The parameter among {@code parameters} that takes {@code target}, or null. */
  private static VariableElement parameterFor(List<Injection.Parameter> parameters, TypeElement target) {
    for (Injection.Parameter parameter : parameters) {
      if (parameter.component().equals(target)) {
        return parameter.element();
      }
    }
    return null;
  }

  /** The class a {@code @DependsOn} names, or {@code null} when it is unresolved or not a class. */
  static TypeElement targetOf(DependsOnDeclaration dependsOn) {
    if (!dependsOn.resolved() || dependsOn.target().getKind() != TypeKind.DECLARED) {
      return null;
    }
    return (TypeElement) ((DeclaredType) dependsOn.target()).asElement();
  }

  /** Every class in the graph, by binary name. */
  SortedMap<String, TypeElement> nodes() {
    return Collections.unmodifiableSortedMap(nodes);
  }

  /** The edges out of {@code node}, in declaration order. */
  List<Edge> edgesOf(String node) {
    return edges.getOrDefault(node, List.of());
  }

  /** Whether {@code node} is a component of this compilation (so diagnostics can point at it). */
  boolean inCompilation(String node) {
    return components.all().containsKey(node);
  }

  /** The graph of the hard edges, of the soft edges, or of both. */
  LifecycleGraph graph(boolean hard, boolean soft) {
    LifecycleGraph.Builder builder = LifecycleGraph.builder();
    for (Map.Entry<String, List<Edge>> entry : edges.entrySet()) {
      builder.addNode(entry.getKey());
      for (Edge edge : entry.getValue()) {
        if (edge.optional() ? soft : hard) {
          builder.addEdge(edge.from(), edge.to());
        }
      }
    }
    return builder.build();
  }

  /** The name diagnostics show for {@code node}: its canonical name. */
  String displayName(String node) {
    return nodes.get(node).getQualifiedName().toString();
  }
}

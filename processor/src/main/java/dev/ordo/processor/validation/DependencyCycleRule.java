package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.LifecycleGraph;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;

/**
 * The hard {@code @DependsOn} edges have no cycle: each strongly connected component with a cycle
 * is reported once, with a path through all its members, on the {@code @DependsOn} of its first
 * member in sorted order. Soft edges ({@code optional = true}) are left out: they order startup
 * only where they close no cycle, which is what lets {@code optional = true} break one.
 *
 * <p>Keeps the cycles it reported, so that a cycle is not reported again in a later round.
 */
public final class DependencyCycleRule implements GraphRule {
  private final Set<List<String>> reported = new HashSet<>();

  @Override
  public void validate(RoundComponents components, Reporter reporter) {
    LifecycleGraph.Builder builder = LifecycleGraph.builder();
    Map<String, String> displayNames = new HashMap<>();
    for (Map.Entry<String, TypeElement> entry : components.all().entrySet()) {
      builder.addNode(entry.getKey());
      displayNames.put(entry.getKey(), entry.getValue().getQualifiedName().toString());
      for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(entry.getValue())) {
        TypeElement target = targetOf(dependsOn);
        if (target != null && !dependsOn.optional()) {
          String key = ComponentReader.nameOf(target).binaryName();
          builder.addEdge(entry.getKey(), key);
          displayNames.putIfAbsent(key, target.getQualifiedName().toString());
        }
      }
    }
    for (List<String> cycle : builder.build().cycles()) {
      if (!reported.add(cycle)) {
        continue;
      }
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < cycle.size(); i++) {
        if (i > 0) {
          path.append('\n');
        }
        path.append("    ").append(displayNames.get(cycle.get(i)))
            .append(" depends on ").append(displayNames.get(cycle.get((i + 1) % cycle.size())));
      }
      TypeElement first = components.all().get(cycle.get(0));
      String next = cycle.get(1 % cycle.size());
      reporter.report(Message.DEPENDENCY_CYCLE, locationOfEdge(first, next), path);
    }
  }

  private static Location locationOfEdge(TypeElement from, String to) {
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(from)) {
      TypeElement target = targetOf(dependsOn);
      if (target != null && !dependsOn.optional()
          && ComponentReader.nameOf(target).binaryName().equals(to)) {
        return Location.of(from, dependsOn.annotation(), dependsOn.value());
      }
    }
    return Location.of(from);
  }

  private static TypeElement targetOf(DependsOnDeclaration dependsOn) {
    if (!dependsOn.resolved() || dependsOn.target().getKind() != TypeKind.DECLARED) {
      return null;
    }
    return (TypeElement) ((DeclaredType) dependsOn.target()).asElement();
  }
}

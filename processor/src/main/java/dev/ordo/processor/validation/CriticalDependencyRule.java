package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @Critical} component has hard edges only to {@code @Critical} components: when an
 * optional dependency fails, its hard dependents are skipped, and a critical component skipped
 * fails the whole startup, which is what marking the dependency optional said not to do. The
 * dependency may come from another jar (its {@code @Critical} is read from the class file).
 */
public final class CriticalDependencyRule implements GraphRule {
  @Override
  public void validate(RoundComponents components, Reporter reporter) {
    for (String key : components.added()) {
      TypeElement component = components.all().get(key);
      if (OrdoAnnotation.CRITICAL.find(component).isEmpty()) {
        continue;
      }
      for (DependencyEdges.Edge edge : DependencyEdges.direct(key, component)) {
        TypeElement target = edge.target();
        if (edge.optional() || target == null || target.equals(component)
            || !ComponentReader.isComponent(target)) {
          continue; // a self-edge is a cycle; a class that is no component is reported as such
        }
        if (OrdoAnnotation.CRITICAL.find(target).isEmpty()) {
          reporter.report(edge.byConstructor() && edge.declaration() == null
                  ? Message.CRITICAL_TAKES_OPTIONAL : Message.CRITICAL_DEPENDS_ON_OPTIONAL,
              edge.location(component), component.getQualifiedName(), target.getQualifiedName());
        }
      }
    }
  }
}

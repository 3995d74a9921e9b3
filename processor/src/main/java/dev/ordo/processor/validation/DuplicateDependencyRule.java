package dev.ordo.processor.validation;

import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.TypeElement;

/** A class is named at most once in a component's {@code @DependsOn}s (hard or soft, not both). */
public final class DuplicateDependencyRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    Set<String> seen = new HashSet<>();
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(component)) {
      if (dependsOn.resolved() && !seen.add(dependsOn.target().toString())) {
        reporter.report(Message.DUPLICATE_DEPENDENCY,
            Location.of(component, dependsOn.annotation(), dependsOn.value()),
            component.getQualifiedName(), dependsOn.target());
      }
    }
  }
}

package dev.ordo.processor.validation;

import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.assembly.Injection;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.TypeElement;

/**
 * A dependency declared {@code optional = true} may be left out of the application, so a
 * constructor that takes it as a plain type would have nothing to be given: it must take
 * {@code Optional<Foo>}. Reported on the parameter.
 */
public final class OptionalDependencyParameterRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    Injection injection = Injection.of(component);
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(component)) {
      TypeElement target = DependencyEdges.targetOf(dependsOn);
      if (!dependsOn.optional() || target == null) {
        continue;
      }
      for (Injection.Parameter parameter : injection.edges()) {
        if (parameter.kind() == Injection.Kind.COMPONENT && parameter.component().equals(target)) {
          reporter.report(Message.OPTIONAL_DEPENDENCY_PARAMETER, Location.of(parameter.element()),
              component.getQualifiedName(), target.getQualifiedName());
        }
      }
    }
  }
}

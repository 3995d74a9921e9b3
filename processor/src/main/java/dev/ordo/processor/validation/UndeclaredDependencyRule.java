package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.assembly.Injection;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;

/**
 * Lint: a component with several constructors, none of them {@code @Inject}, whose constructors
 * take another component should say so with {@code @DependsOn}: Ordo infers edges from one chosen
 * constructor only, so it may start the component before the instance it was given is started.
 * Reported on the parameter; {@code @SuppressWarnings("ordo:undeclared-dependency")} turns it off.
 */
public final class UndeclaredDependencyRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    if (Injection.of(component).constructor().isPresent()) {
      return; // the edges its constructor implies are inferred
    }
    Set<Name> declared = new HashSet<>();
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(component)) {
      TypeElement target = DependencyEdges.targetOf(dependsOn);
      if (target != null) {
        declared.add(target.getQualifiedName());
      }
    }
    Set<Name> reported = new HashSet<>();
    for (ExecutableElement constructor : ElementFilter.constructorsIn(component.getEnclosedElements())) {
      for (VariableElement parameter : constructor.getParameters()) {
        if (parameter.asType().getKind() != TypeKind.DECLARED) {
          continue;
        }
        TypeElement type = (TypeElement) ((DeclaredType) parameter.asType()).asElement();
        if (type.equals(component) || declared.contains(type.getQualifiedName())
            || !ComponentReader.isComponent(type) || !reported.add(type.getQualifiedName())) {
          continue;
        }
        reporter.report(Message.UNDECLARED_DEPENDENCY, Location.of(parameter),
            component.getQualifiedName(), type.getQualifiedName(), type.getQualifiedName());
      }
    }
  }
}

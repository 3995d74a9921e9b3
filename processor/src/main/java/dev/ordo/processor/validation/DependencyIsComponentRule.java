package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;

/**
 * Every {@code @DependsOn} names a component: a class of this compilation or of a jar that carries
 * Ordo annotations (read from its class file). Anything else would never be started, and the
 * component would wait for it forever.
 */
public final class DependencyIsComponentRule implements GraphRule {
  @Override
  public void validate(RoundComponents components, Reporter reporter) {
    for (String key : components.added()) {
      TypeElement component = components.all().get(key);
      for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(component)) {
        if (!dependsOn.resolved()) {
          continue; // javac reports the unknown class
        }
        Element target = dependsOn.target().getKind() == TypeKind.DECLARED
            ? ((DeclaredType) dependsOn.target()).asElement()
            : null;
        if (!(target instanceof TypeElement) || !ComponentReader.isComponent((TypeElement) target)) {
          reporter.report(Message.NOT_A_COMPONENT,
              Location.of(component, dependsOn.annotation(), dependsOn.value()),
              component.getQualifiedName(),
              target instanceof TypeElement
                  ? ((TypeElement) target).getQualifiedName()
                  : dependsOn.target());
        }
      }
    }
  }
}

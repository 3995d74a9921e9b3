package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;

/**
 * The component class must be reachable from the generated controller in its package: neither
 * it nor a class around it is private, and a nested component is static (an inner class needs its
 * enclosing instance, which the runtime does not have).
 */
public final class ComponentClassRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    String controller = ComponentReader.nameOf(component).flatName() + "_Lifecycle";
    for (Element e = component; e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(Message.PRIVATE_COMPONENT, Location.of(component),
            component.getQualifiedName(), ((TypeElement) e).getQualifiedName(), controller);
        break;
      }
    }
    if (component.getNestingKind() == NestingKind.MEMBER
        && !component.getModifiers().contains(Modifier.STATIC)) {
      reporter.report(Message.INNER_COMPONENT, Location.of(component),
          component.getQualifiedName(),
          ((TypeElement) component.getEnclosingElement()).getQualifiedName());
    }
  }
}

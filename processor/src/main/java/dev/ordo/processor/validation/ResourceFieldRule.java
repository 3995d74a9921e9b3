package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.writing.ControllerWriter;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * A managed-resource field is read once by the generated controller, from the component's
 * package: it must be {@code final} (a resource assigned later would escape the runtime) and not
 * {@code private}. Reported on the field.
 */
public final class ResourceFieldRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (VariableElement field : ComponentReader.resourceFields(component)) {
      String name = field.getSimpleName().toString();
      if (!field.getModifiers().contains(Modifier.FINAL)) {
        reporter.report(Message.RESOURCE_FIELD_NOT_FINAL, Location.of(field), name, component.getQualifiedName());
      }
      if (field.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(Message.RESOURCE_FIELD_PRIVATE, Location.of(field), name, component.getQualifiedName(),
            ControllerWriter.controllerName(ComponentReader.nameOf(component)).simpleName());
      }
    }
  }
}

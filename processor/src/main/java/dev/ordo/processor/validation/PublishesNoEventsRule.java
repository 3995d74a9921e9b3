package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * Lint: {@code @PublishesEvents} without operations and without payloads declares no event.
 * Reported on the {@code operations} value when written ({@code operations = {}}), else on the
 * annotation; {@code @SuppressWarnings("ordo:no-events")} turns it off.
 */
public final class PublishesNoEventsRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    AnnotationMirror publishes = OrdoAnnotation.PUBLISHES_EVENTS.find(component).orElse(null);
    if (publishes == null) {
      return;
    }
    Optional<AnnotationValue> operations = OrdoAnnotation.explicitValue(publishes, "operations");
    if (!isEmpty(operations) || !isEmpty(OrdoAnnotation.explicitValue(publishes, "payloads"))) {
      return;
    }
    reporter.report(Message.NO_EVENTS,
        new Location(component, publishes, operations.orElse(null)), component.getQualifiedName());
  }

  private static boolean isEmpty(Optional<AnnotationValue> array) {
    return array.isEmpty()
        || (array.get().getValue() instanceof List && ((List<?>) array.get().getValue()).isEmpty());
  }
}

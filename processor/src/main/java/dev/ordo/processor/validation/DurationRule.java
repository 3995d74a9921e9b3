package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.Durations;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * Every {@code timeout} and {@code interval} is empty (the application's default) or a positive
 * duration that {@link Durations} reads; the error points at the value.
 */
public final class DurationRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (HookMethod hook : HookMethod.of(component)) {
      List<String> attributes = hook.annotation() == OrdoAnnotation.HEALTH_CHECK
          ? List.of("timeout", "interval")
          : List.of("timeout");
      for (String attribute : attributes) {
        Optional<AnnotationValue> value = OrdoAnnotation.explicitValue(hook.mirror(), attribute);
        if (value.isEmpty() || !(value.get().getValue() instanceof String)) {
          continue;
        }
        String text = (String) value.get().getValue();
        if (!text.isEmpty() && Durations.parse(text).isEmpty()) {
          reporter.report(Message.INVALID_DURATION,
              Location.of(hook.method(), hook.mirror(), value.get()),
              hook.annotation().simpleName(), attribute, text, MethodSignature.of(hook.method()));
        }
      }
    }
  }
}

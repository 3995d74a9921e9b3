package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/**
 * Lint: {@code @Critical} guards hooks that can fail; on a class without any it is most likely a
 * leftover. Reported on the annotation; {@code @SuppressWarnings("ordo:critical-without-hooks")}
 * keeps it (a critical component is still skipped, and fails startup, when a hard dependency
 * fails).
 */
public final class CriticalWithoutHooksRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    AnnotationMirror critical = OrdoAnnotation.CRITICAL.find(component).orElse(null);
    if (critical != null && HookMethod.of(component).isEmpty()) {
      reporter.report(Message.CRITICAL_WITHOUT_HOOKS, Location.of(component, critical),
          component.getQualifiedName());
    }
  }
}

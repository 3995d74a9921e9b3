package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.OrdoAnnotation;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * A method carrying {@code @OnStartup}, {@code @OnShutdown} or {@code @HealthCheck}, with the
 * annotation, as the rules check it.
 */
record HookMethod(ExecutableElement method, OrdoAnnotation annotation, AnnotationMirror mirror) {
  /** Every hook method of {@code type}, by annotation, then in declaration order. */
  static List<HookMethod> of(TypeElement type) {
    List<HookMethod> result = new ArrayList<>();
    for (OrdoAnnotation annotation :
        List.of(OrdoAnnotation.ON_STARTUP, OrdoAnnotation.ON_SHUTDOWN, OrdoAnnotation.HEALTH_CHECK)) {
      for (ExecutableElement method : ComponentReader.methodsWith(type, annotation)) {
        result.add(new HookMethod(method, annotation, annotation.find(method).orElseThrow()));
      }
    }
    return result;
  }
}

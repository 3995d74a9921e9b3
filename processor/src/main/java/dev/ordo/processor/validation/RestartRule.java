package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * {@code @HealthCheck(restart = true)}: not on a {@code @Critical} component
 * ({@code RetryOnCritical}), and only on one whose {@code @OnStartup} declares the
 * {@code retry} whose backoff the restarts follow ({@code RestartWithoutRetry}). Reported on the
 * {@code restart = true} value.
 */
public final class RestartRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    List<ExecutableElement> starts = ComponentReader.methodsWith(component, OrdoAnnotation.ON_STARTUP);
    boolean retries = !starts.isEmpty()
        && ComponentReader.retryOf(OrdoAnnotation.ON_STARTUP.find(starts.get(0)).orElseThrow()).isPresent();
    boolean critical = OrdoAnnotation.CRITICAL.find(component).isPresent();
    for (ExecutableElement method : ComponentReader.methodsWith(component, OrdoAnnotation.HEALTH_CHECK)) {
      AnnotationMirror check = OrdoAnnotation.HEALTH_CHECK.find(method).orElseThrow();
      AnnotationValue restart = OrdoAnnotation.explicitValue(check, "restart").orElse(null);
      if (restart == null || !Boolean.TRUE.equals(restart.getValue())) {
        continue;
      }
      if (critical) {
        reporter.report(Message.RESTART_ON_CRITICAL, Location.of(method, check, restart),
            MethodSignature.of(method), component.getQualifiedName());
      } else if (!retries) {
        reporter.report(Message.RESTART_WITHOUT_RETRY, Location.of(method, check, restart),
            MethodSignature.of(method), component.getQualifiedName());
      }
    }
  }
}

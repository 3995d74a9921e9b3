package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * A component has at most one {@code @OnStartup} and one {@code @OnShutdown} method (which would
 * run first is undefined otherwise), and its health checks have distinct names.
 */
public final class DuplicateHookRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (OrdoAnnotation annotation : List.of(OrdoAnnotation.ON_STARTUP, OrdoAnnotation.ON_SHUTDOWN)) {
      List<ExecutableElement> methods = ComponentReader.methodsWith(component, annotation);
      if (methods.size() > 1) {
        String all = methods.stream().map(m -> m.getSimpleName() + "()").collect(Collectors.joining(", "));
        for (ExecutableElement extra : methods.subList(1, methods.size())) {
          reporter.report(Message.DUPLICATE_HOOK,
              Location.of(extra, annotation.find(extra).orElseThrow()),
              component.getQualifiedName(), annotation.simpleName(), all);
        }
      }
    }
    Map<String, ExecutableElement> byName = new HashMap<>();
    for (ExecutableElement method : ComponentReader.methodsWith(component, OrdoAnnotation.HEALTH_CHECK)) {
      String name = healthCheckName(method);
      ExecutableElement first = byName.putIfAbsent(name, method);
      if (first != null) {
        reporter.report(Message.DUPLICATE_HEALTH_CHECK,
            Location.of(method, OrdoAnnotation.HEALTH_CHECK.find(method).orElseThrow()),
            component.getQualifiedName(), name, first.getSimpleName() + "()",
            method.getSimpleName() + "()");
      }
    }
  }

  private static String healthCheckName(ExecutableElement method) {
    String name = OrdoAnnotation.HEALTH_CHECK.find(method)
        .flatMap(m -> OrdoAnnotation.explicitValue(m, "name"))
        .map(v -> String.valueOf(v.getValue()))
        .orElse("");
    return name.isEmpty() ? method.getSimpleName().toString() : name;
  }
}

package dev.ordo.processor.validation;

import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** How diagnostics name a method: {@code com.acme.OrderStore.migrate(LifecycleContext)}. */
final class MethodSignature {
  private MethodSignature() {}

  static String of(ExecutableElement method) {
    String type = ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
    return type + "." + method.getSimpleName() + "(" + parameterTypes(method) + ")";
  }

  static String parameterTypes(ExecutableElement method) {
    return method.getParameters().stream()
        .map(p -> p.asType().toString())
        .collect(Collectors.joining(", "));
  }
}

package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** A hook takes no parameter, or exactly one {@code dev.ordo.runtime.LifecycleContext}. */
public final class HookParametersRule implements ComponentRule {
  static final String LIFECYCLE_CONTEXT = "dev.ordo.runtime.LifecycleContext";

  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (HookMethod hook : HookMethod.of(component)) {
      List<? extends VariableElement> parameters = hook.method().getParameters();
      if (parameters.isEmpty()
          || (parameters.size() == 1 && isLifecycleContext(parameters.get(0).asType()))) {
        continue;
      }
      reporter.report(Message.HOOK_PARAMETERS, Location.of(hook.method()),
          hook.annotation().simpleName(), MethodSignature.of(hook.method()),
          MethodSignature.parameterTypes(hook.method()));
    }
  }

  private static boolean isLifecycleContext(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName()
            .contentEquals(LIFECYCLE_CONTEXT);
  }
}

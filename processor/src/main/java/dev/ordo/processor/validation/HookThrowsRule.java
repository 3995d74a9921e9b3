package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The generated controller calls hooks from methods declared {@code throws Exception}: a hook may
 * throw exceptions and errors, but not a bare {@code Throwable}.
 */
public final class HookThrowsRule implements ComponentRule {
  private final Elements elements;
  private final Types types;

  /** Compares types with javac's utilities. */
  public HookThrowsRule(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  @Override
  public void validate(TypeElement component, Reporter reporter) {
    TypeMirror exception = elements.getTypeElement("java.lang.Exception").asType();
    TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
    for (HookMethod hook : HookMethod.of(component)) {
      for (TypeMirror thrown : hook.method().getThrownTypes()) {
        if (!types.isAssignable(thrown, exception) && !types.isAssignable(thrown, error)) {
          reporter.report(Message.HOOK_THROWS, Location.of(hook.method()),
              hook.annotation().simpleName(), MethodSignature.of(hook.method()), thrown);
        }
      }
    }
  }
}

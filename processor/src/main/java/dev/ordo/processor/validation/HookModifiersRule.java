package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * A hook runs on the component instance and is called by the generated controller in the same
 * package: it must not be private, static or abstract.
 */
public final class HookModifiersRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (HookMethod hook : HookMethod.of(component)) {
      Set<Modifier> modifiers = hook.method().getModifiers();
      Object[] args = {hook.annotation().simpleName(), MethodSignature.of(hook.method())};
      if (modifiers.contains(Modifier.PRIVATE)) {
        reporter.report(Message.PRIVATE_HOOK, Location.of(hook.method()), args);
      }
      if (modifiers.contains(Modifier.STATIC)) {
        reporter.report(Message.STATIC_HOOK, Location.of(hook.method()), args);
      }
      if (modifiers.contains(Modifier.ABSTRACT)) {
        reporter.report(Message.ABSTRACT_HOOK, Location.of(hook.method()), args);
      }
    }
  }
}

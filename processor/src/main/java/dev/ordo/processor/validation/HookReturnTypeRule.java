package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * {@code @OnStartup} and {@code @OnShutdown} return {@code void} or a {@code CompletionStage}
 * (with any type argument, or a subtype such as {@code CompletableFuture}); {@code @HealthCheck}
 * returns {@code boolean}, {@code dev.ordo.runtime.Health} or {@code void}.
 */
public final class HookReturnTypeRule implements ComponentRule {
  private static final String HEALTH = "dev.ordo.runtime.Health";

  private final Elements elements;
  private final Types types;

  /** Compares types with javac's utilities. */
  public HookReturnTypeRule(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (HookMethod hook : HookMethod.of(component)) {
      TypeMirror returned = hook.method().getReturnType();
      if (hook.annotation() == OrdoAnnotation.HEALTH_CHECK) {
        if (returned.getKind() != TypeKind.BOOLEAN
            && returned.getKind() != TypeKind.VOID
            && !isClass(returned, HEALTH)) {
          reporter.report(Message.HEALTH_CHECK_RETURN_TYPE, Location.of(hook.method()),
              MethodSignature.of(hook.method()), returned);
        }
      } else if (returned.getKind() != TypeKind.VOID && !isCompletionStage(returned)) {
        reporter.report(Message.HOOK_RETURN_TYPE, Location.of(hook.method()),
            hook.annotation().simpleName(), MethodSignature.of(hook.method()), returned);
      }
    }
  }

  private boolean isCompletionStage(TypeMirror type) {
    TypeElement stage = elements.getTypeElement("java.util.concurrent.CompletionStage");
    return type.getKind() == TypeKind.DECLARED
        && types.isAssignable(types.erasure(type), types.erasure(stage.asType()));
  }

  private static boolean isClass(TypeMirror type, String qualifiedName) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName()
            .contentEquals(qualifiedName);
  }
}

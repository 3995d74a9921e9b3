package dev.ordo.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;

/** The runtime types that generated code names, and the {@code @Generated} it carries. */
final class RuntimeTypes {
  static final ClassName COMPONENT_DESCRIPTOR = ClassName.get("dev.ordo.runtime", "ComponentDescriptor");
  static final ClassName HEALTH = ClassName.get("dev.ordo.runtime", "Health");
  static final ClassName LIFECYCLE_CONTEXT = ClassName.get("dev.ordo.runtime", "LifecycleContext");
  static final ClassName LIFECYCLE_CONTROLLER = ClassName.get("dev.ordo.runtime", "LifecycleController");
  static final ClassName RETRY_POLICY = ClassName.get("dev.ordo.runtime", "RetryPolicy");
  static final ClassName MANAGED_RESOURCE = ClassName.get("dev.ordo.runtime.resources", "ManagedResource");
  static final ClassName LIFECYCLE_REGISTRY =
      ClassName.get("dev.ordo.runtime.internal", "LifecycleRegistry");
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final String PROCESSOR = "dev.ordo.processor.OrdoProcessor";
  static final String GENERATED_CODE_DOCS =
      "https://github.com/ordo-dev/ordo/blob/main/docs/generated-code.md";

  private RuntimeTypes() {}

  /** {@code @Generated} naming the processor and the tour of generated code; no date. */
  static AnnotationSpec generated() {
    // One member holding both, so that JavaPoet keeps the annotation on one line (it breaks an
    // annotation with several members over several lines).
    return AnnotationSpec.builder(GENERATED)
        .addMember("value", "value = $S, comments = $S", PROCESSOR, GENERATED_CODE_DOCS)
        .build();
  }
}

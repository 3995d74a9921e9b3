package dev.ordo.processor.validation;

import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.TypeElement;

/** One check of one component class, reported on the exact element; one class per rule. */
public interface ComponentRule {
  /** Reports every problem of {@code component} that this rule knows. */
  void validate(TypeElement component, Reporter reporter);
}

package dev.ordo.processor.validation;

import dev.ordo.processor.base.Reporter;

/** One check of the lifecycle graph as a whole; one class per rule. */
public interface GraphRule {
  /** Reports every problem this rule finds among {@code components}. */
  void validate(RoundComponents components, Reporter reporter);
}

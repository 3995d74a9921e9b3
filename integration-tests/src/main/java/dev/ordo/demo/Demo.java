package dev.ordo.demo;

import dev.ordo.OrdoApplication;

/**
 * The demo application. The processor generates {@code OrdoDemo}, which constructs every
 * component of this package in startup order (no {@code new} of a component, no component list
 * by hand): see {@link DemoApplication}.
 */
@OrdoApplication
public interface Demo {
  /** The HTTP API, whose port the demo prints once it listens. */
  OrderApi api();
}

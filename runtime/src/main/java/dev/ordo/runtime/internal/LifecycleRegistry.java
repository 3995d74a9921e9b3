package dev.ordo.runtime.internal;

import dev.ordo.runtime.LifecycleController;

/**
 * Finds the generated controller for a component instance. The annotation processor writes one
 * implementation per compilation and registers it in
 * {@code META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry}; the runtime loads every
 * registry on the class path with {@link java.util.ServiceLoader}. Only generated code implements
 * this interface.
 */
public interface LifecycleRegistry {
  /**
   * Returns a controller bound to {@code component} when {@code componentClass} (the binary name
   * of the component's class or of one of its superclasses) was compiled in this registry's
   * compilation, else {@code null}.
   */
  LifecycleController<?> controllerFor(String componentClass, Object component);
}

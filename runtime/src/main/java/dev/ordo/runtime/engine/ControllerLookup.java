package dev.ordo.runtime.engine;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.internal.LifecycleRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * Finds the generated controller of a component instance through the registries the processor
 * wrote ({@code META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry}). The registries
 * are read once per class loader and kept while the loader lives.
 */
public final class ControllerLookup {
  private static final Map<ClassLoader, ControllerLookup> BY_LOADER = new WeakHashMap<>();

  private final List<LifecycleRegistry> registries;

  private ControllerLookup(List<LifecycleRegistry> registries) {
    this.registries = registries;
  }

  /** The registries visible to the thread's context class loader (else to Ordo's own). */
  public static ControllerLookup forCurrentThread() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ControllerLookup.class.getClassLoader();
    }
    synchronized (BY_LOADER) {
      ControllerLookup lookup = BY_LOADER.get(loader);
      if (lookup == null) {
        List<LifecycleRegistry> list = new ArrayList<>();
        for (LifecycleRegistry r : ServiceLoader.load(LifecycleRegistry.class, loader)) {
          list.add(r);
        }
        lookup = new ControllerLookup(List.copyOf(list));
        BY_LOADER.put(loader, lookup);
      }
      return lookup;
    }
  }

  /**
   * The controller of {@code component}: itself if it is one, else the generated one of its class
   * or of its nearest annotated superclass.
   *
   * @throws ConfigurationException if no registry knows the class
   */
  public LifecycleController<?> controllerFor(Object component) {
    if (component instanceof LifecycleController) {
      return (LifecycleController<?>) component;
    }
    for (Class<?> c = component.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (LifecycleRegistry r : registries) {
        LifecycleController<?> controller = r.controllerFor(c.getName(), component);
        if (controller != null) {
          return controller;
        }
      }
    }
    throw new ConfigurationException(
        "No generated controller for " + component.getClass().getName() + ": annotate the class"
            + " with @OnStartup, @OnShutdown, @HealthCheck, @Critical, @DependsOn or"
            + " @PublishesEvents and compile it with ordo-processor on the annotation processor"
            + " path, or pass a hand-written controller to controller(...). (" + registries.size()
            + " generated registries found on the class path.)");
  }
}

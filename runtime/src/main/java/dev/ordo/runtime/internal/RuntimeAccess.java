package dev.ordo.runtime.internal;

import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import java.util.function.BiConsumer;

/**
 * Lets the runtime's own packages (metrics) reach what {@link Ordo} does not offer users: an
 * observer called inline, in order, as the engine decides each change, rather than a listener on
 * its own thread. Set by {@code Ordo}'s class initializer (as the JDK's {@code SharedSecrets}
 * are); not for users.
 */
public final class RuntimeAccess {
  private static volatile BiConsumer<Ordo, LifecycleListener> observers;

  private RuntimeAccess() {}

  /** Called once by {@code Ordo}. */
  public static void setObserverRegistrar(BiConsumer<Ordo, LifecycleListener> registrar) {
    observers = registrar;
  }

  /**
   * Adds {@code observer} to {@code app}: it must never block, throw on purpose, or call back
   * into the application's shutdown.
   */
  public static void addObserver(Ordo app, LifecycleListener observer) {
    observers.accept(app, observer);
  }
}

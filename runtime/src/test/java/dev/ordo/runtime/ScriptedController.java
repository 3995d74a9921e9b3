package dev.ordo.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written controller whose hooks do what a test says; components are told apart by their
 * descriptor's explicit key, the way a user runs several instances of one class.
 */
final class ScriptedController extends LifecycleController<ScriptedController.Key> {
  /** A component instance; its key names it, so many components can share this one class. */
  record Key(String name) {}

  /** A hook body. */
  interface Hook {
    CompletionStage<?> run(LifecycleContext context) throws Exception;
  }

  static final Hook NOTHING = c -> null;

  final String name;
  private final Hook onStart;
  private final Hook onStop;
  private final List<String> journal;

  ScriptedController(ComponentDescriptor descriptor, String name, Hook onStart, Hook onStop, List<String> journal) {
    super(descriptor, new Key(name));
    this.name = name;
    this.onStart = onStart;
    this.onStop = onStop;
    this.journal = journal;
  }

  @Override
  public CompletionStage<?> start(LifecycleContext context) throws Exception {
    journal.add("start " + name);
    return onStart.run(context);
  }

  @Override
  public CompletionStage<?> stop(LifecycleContext context) throws Exception {
    journal.add("stop " + name);
    return onStop.run(context);
  }

  /** Builds scripted components that depend on each other by name. */
  static final class Script {
    final List<String> journal = new CopyOnWriteArrayList<>();
    Spec component(String name) {
      return new Spec(name);
    }

    String key(String name) {
      return name;
    }

    final class Spec {
      private final String name;
      private final ComponentDescriptor.Builder descriptor;
      private Hook onStart = NOTHING;
      private Hook onStop = NOTHING;

      Spec(String name) {
        this.name = name;
        this.descriptor = ComponentDescriptor.builder(Key.class).key(name);
      }

      Spec critical() {
        descriptor.critical();
        return this;
      }

      Spec dependsOn(String... others) {
        for (String o : others) {
          descriptor.dependsOn(key(o));
        }
        return this;
      }

      Spec dependsOnOptionally(String... others) {
        for (String o : others) {
          descriptor.dependsOnOptionally(key(o));
        }
        return this;
      }

      Spec onStart(Hook hook) {
        this.onStart = hook;
        return this;
      }

      Spec onStop(Hook hook) {
        this.onStop = hook;
        return this;
      }

      Spec startupTimeout(java.time.Duration timeout) {
        descriptor.onStartup("start", timeout);
        return this;
      }

      Spec shutdownTimeout(java.time.Duration timeout) {
        descriptor.onShutdown("stop", timeout);
        return this;
      }

      ScriptedController build() {
        return new ScriptedController(descriptor.build(), name, onStart, onStop, journal);
      }
    }
  }

  static CompletionStage<?> fail(String message) {
    return CompletableFuture.failedFuture(new IllegalStateException(message));
  }
}

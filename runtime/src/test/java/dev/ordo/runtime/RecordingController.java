package dev.ordo.runtime;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A hand-written controller of any class, as the processor would write one: it journals its start
 * and stop under the name the runtime gives it (with the instance key, if any), and may fail its
 * start. Its descriptor's key is the class's binary name, as a generated one's.
 */
final class RecordingController<T> extends LifecycleController<T> {
  private final List<String> journal;
  private final boolean failStart;
  private final CompletionStage<?> startGate;

  private RecordingController(ComponentDescriptor descriptor, T component, List<String> journal, boolean failStart,
      CompletionStage<?> startGate) {
    super(descriptor, component);
    this.journal = journal;
    this.failStart = failStart;
    this.startGate = startGate;
  }

  /** A controller of {@code component} with {@code descriptor}, journaling to {@code journal}. */
  static <T> RecordingController<T> of(ComponentDescriptor descriptor, T component, List<String> journal) {
    return new RecordingController<>(descriptor, component, journal, false, COMPLETED);
  }

  /** Like {@link #of}, but its start fails. */
  static <T> RecordingController<T> failing(ComponentDescriptor descriptor, T component, List<String> journal) {
    return new RecordingController<>(descriptor, component, journal, true, COMPLETED);
  }

  /** Like {@link #of}, but it is running only once {@code gate} completes. */
  static <T> RecordingController<T> gated(ComponentDescriptor descriptor, T component, List<String> journal,
      CompletionStage<?> gate) {
    return new RecordingController<>(descriptor, component, journal, false, gate);
  }

  @Override
  public CompletionStage<?> start(LifecycleContext context) {
    journal.add("start " + context.componentName());
    if (failStart) {
      return ScriptedController.fail("cannot start " + context.componentName());
    }
    return startGate;
  }

  @Override
  public CompletionStage<?> stop(LifecycleContext context) {
    journal.add("stop " + context.componentName());
    return COMPLETED;
  }

  @Override
  public Health check(int index, LifecycleContext context) {
    return Health.up();
  }
}

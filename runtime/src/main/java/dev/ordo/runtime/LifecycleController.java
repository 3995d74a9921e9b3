package dev.ordo.runtime;

import dev.ordo.runtime.resources.ManagedResource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Calls the lifecycle hooks of one component instance. The annotation processor writes one
 * subclass per component ({@code Foo_Lifecycle}) that calls the annotated methods directly, and one
 * dispatching subclass ({@code Hooks}) in each generated registry and assembly that calls the hooks
 * of many components, chosen by their index; the runtime never uses reflection. Which class serves
 * a component does not change what the controller does.
 *
 * <p>A controller can also be written by hand, for a class that cannot be annotated (a class
 * from a library), and given to {@link Ordo.Builder#controller(LifecycleController)}:
 *
 * <pre>{@code
 * final class ExecutorLifecycle extends LifecycleController<ExecutorService> {
 *   ExecutorLifecycle(ExecutorService executor) {
 *     super(ComponentDescriptor.builder(ExecutorService.class).onShutdown("shutdown", null).build(),
 *         executor);
 *   }
 *   @Override public CompletionStage<?> stop(LifecycleContext context) {
 *     component().shutdown();
 *     return COMPLETED;
 *   }
 * }
 * }</pre>
 *
 * @param <T> the component's type
 * @since 0.1
 */
public abstract class LifecycleController<T> {
  /** The stage a synchronous hook returns: already complete. */
  protected static final CompletionStage<Void> COMPLETED = CompletableFuture.completedFuture(null);

  private final ComponentDescriptor descriptor;
  private final T component;

  /** Binds {@code descriptor} to the instance {@code component}. */
  protected LifecycleController(ComponentDescriptor descriptor, T component) {
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    this.component = Objects.requireNonNull(component, "component");
  }

  /** What is known about the component. */
  public final ComponentDescriptor descriptor() {
    return descriptor;
  }

  /** The component instance. */
  public final T component() {
    return component;
  }

  /**
   * Runs the startup hook. The component is running when the returned stage completes
   * normally; {@link #COMPLETED} when the hook is synchronous or absent.
   */
  public CompletionStage<?> start(LifecycleContext context) throws Exception {
    return COMPLETED;
  }

  /** Runs the shutdown hook, like {@link #start}. */
  public CompletionStage<?> stop(LifecycleContext context) throws Exception {
    return COMPLETED;
  }

  /**
   * Runs the health check numbered {@code index} in {@link ComponentDescriptor#healthChecks()}.
   *
   * @throws IndexOutOfBoundsException if there is no such check
   */
  public Health check(int index, LifecycleContext context) throws Exception {
    throw new IndexOutOfBoundsException(
        descriptor.name() + " has " + descriptor.healthChecks().size() + " health checks, not #" + index);
  }

  /**
   * The component's managed resources: the values of its {@code final} fields of type {@link
   * ManagedResource}, in the order of {@link ComponentDescriptor#resources()}. The runtime loads
   * the eager ones before the startup hook, shows them in health, metrics and events, and closes
   * them after the shutdown hook, waiting for their leases within the hook's deadline. Generated
   * controllers override it when the component has such fields; none by default.
   *
   * @since 0.1
   */
  public List<ManagedResource<?>> resources() {
    return List.of();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + descriptor.name() + "]";
  }
}

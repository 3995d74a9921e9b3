package dev.ordo.runtime;

import dev.ordo.runtime.resources.ManagedResource;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The controller of a keyed instance, one of several instances of one class: the instance's own
 * controller with the keyed descriptor ({@link ComponentDescriptor#withKey}). A controller's
 * descriptor is fixed when it is made, so the key is added by wrapping it; the hooks and checks
 * are the wrapped controller's.
 */
final class KeyedController<T> extends LifecycleController<T> {
  private final LifecycleController<T> delegate;

  private KeyedController(LifecycleController<T> delegate, String key) {
    super(delegate.descriptor().withKey(key), delegate.component());
    this.delegate = delegate;
  }

  /** {@code controller} as the instance {@code key}; itself when {@code key} is {@code null}. */
  static <T> LifecycleController<T> keyed(LifecycleController<T> controller, String key) {
    return key == null ? controller : new KeyedController<>(controller, key);
  }

  @Override
  public CompletionStage<?> start(LifecycleContext context) throws Exception {
    return delegate.start(context);
  }

  @Override
  public CompletionStage<?> stop(LifecycleContext context) throws Exception {
    return delegate.stop(context);
  }

  @Override
  public Health check(int index, LifecycleContext context) throws Exception {
    return delegate.check(index, context);
  }

  @Override
  public List<ManagedResource<?>> resources() {
    return delegate.resources();
  }

  @Override
  public String toString() {
    return delegate + "[" + descriptor().instanceKey() + "]";
  }
}

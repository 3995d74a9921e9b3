package dev.ordo.runtime.events;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One operation that a component declared with {@code @PublishesEvents(operations = ...)}, such
 * as {@code checkout}: running work as the operation publishes {@code <prefix>.checkout.started},
 * then {@code .completed} (with {@code durationMs}) or {@code .failed} (with {@code durationMs},
 * {@code errorType} and {@code errorMessage}), all with the operation's correlation id, which is
 * {@linkplain Correlation#current() current} inside the work. User code calls the generated
 * {@code Foo_Events} class, which holds one {@code Operation} per declared operation and so never
 * spells an event type.
 *
 * @since 0.1
 */
public final class Operation {
  private final EventPublisher publisher;
  private final String component;
  private final String name;
  private final String startedType;
  private final String completedType;
  private final String failedType;

  Operation(EventPublisher publisher, String component, String name) {
    this.publisher = publisher;
    this.component = component;
    this.name = name;
    this.startedType = publisher.type(name + ".started");
    this.completedType = publisher.type(name + ".completed");
    this.failedType = publisher.type(name + ".failed");
  }

  /** The component's name. */
  public String component() {
    return component;
  }

  /** The operation's name, such as {@code checkout}. */
  public String name() {
    return name;
  }

  /**
   * Runs {@code work} as this operation and returns its result; rethrows what it throws, after
   * publishing {@code .failed}.
   *
   * @param correlationId the operation's correlation id; {@code null} for the current one, else a
   *     new one
   */
  public <T> T call(String correlationId, Callable<T> work) throws Exception {
    Objects.requireNonNull(work, "work");
    String id = Correlation.resolve(correlationId);
    String previous = Correlation.enter(id);
    long begin = System.nanoTime();
    try {
      started(id);
      T result = work.call();
      ended(id, begin, null);
      return result;
    } catch (Throwable t) {
      ended(id, begin, t);
      throw t;
    } finally {
      Correlation.exit(previous);
    }
  }

  /** Runs {@code work} as this operation, like {@link #call}. */
  public void run(String correlationId, Runnable work) {
    Objects.requireNonNull(work, "work");
    String id = Correlation.resolve(correlationId);
    String previous = Correlation.enter(id);
    long begin = System.nanoTime();
    try {
      started(id);
      work.run();
      ended(id, begin, null);
    } catch (Throwable t) {
      ended(id, begin, t);
      throw t;
    } finally {
      Correlation.exit(previous);
    }
  }

  /**
   * Begins this operation for work that ends later, perhaps on another thread: publishes
   * {@code .started} now; the returned run publishes {@code .completed} or {@code .failed} when
   * told, once. The correlation id is not made current on any thread; pass
   * {@link Run#correlationId()} along.
   */
  public Run begin(String correlationId) {
    String id = Correlation.resolve(correlationId);
    started(id);
    return new Run(id, System.nanoTime());
  }

  /** One run of an operation begun with {@link #begin}. */
  public final class Run {
    private final String correlationId;
    private final long begin;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Run(String correlationId, long begin) {
      this.correlationId = correlationId;
      this.begin = begin;
    }

    /** The run's correlation id. */
    public String correlationId() {
      return correlationId;
    }

    /** Publishes {@code .completed}, unless the run already ended. */
    public void completed() {
      if (ended.compareAndSet(false, true)) {
        ended(correlationId, begin, null);
      }
    }

    /** Publishes {@code .failed} with {@code error}, unless the run already ended. */
    public void failed(Throwable error) {
      if (ended.compareAndSet(false, true)) {
        ended(correlationId, begin, Objects.requireNonNull(error, "error"));
      }
    }

    /** Ends the run when {@code stage} completes, and returns {@code stage}. */
    public <T, S extends CompletionStage<T>> S track(S stage) {
      stage.whenComplete((value, error) -> {
        if (error == null) {
          completed();
        } else {
          failed(unwrap(error));
        }
      });
      return stage;
    }
  }

  private static Throwable unwrap(Throwable error) {
    while ((error instanceof java.util.concurrent.CompletionException
        || error instanceof java.util.concurrent.ExecutionException) && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private void started(String correlationId) {
    if (!publisher.enabled()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(4);
    data.put("component", component);
    data.put("operation", name);
    publisher.offer(publisher.event(startedType, component, correlationId, Collections.unmodifiableMap(data)), false);
  }

  private void ended(String correlationId, long begin, Throwable failure) {
    long took = System.nanoTime() - begin;
    OperationObserver[] observers = publisher.observers();
    for (OperationObserver observer : observers) {
      try {
        observer.operationEnded(component, name, took, failure);
      } catch (RuntimeException e) {
        System.getLogger(Operation.class.getName()).log(Level.WARNING, "Operation observer " + observer + " failed", e);
      }
    }
    if (!publisher.enabled()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("component", component);
    data.put("operation", name);
    data.put("durationMs", LifecycleEvents.millis(took));
    if (failure != null) {
      data.put("errorType", failure.getClass().getName());
      data.put("errorMessage", failure.getMessage());
    }
    publisher.offer(publisher.event(failure == null ? completedType : failedType, component, correlationId,
        Collections.unmodifiableMap(data)), false);
  }

  @Override
  public String toString() {
    return component + "." + name;
  }
}

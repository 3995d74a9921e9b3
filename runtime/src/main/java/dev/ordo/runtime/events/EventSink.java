package dev.ordo.runtime.events;

/**
 * Where events go: a file, a message broker, a test's list. Give sinks to
 * {@link EventOptions#sink(EventSink)}; {@code ordo.events.file} adds a {@link JsonLinesEventSink}.
 *
 * <p>Each sink is called from its own delivery thread, one event at a time, in publishing order,
 * so an implementation needs no locking of its own. A sink may block (a network write) or throw:
 * only its own deliveries wait, or fail. A failure is counted in
 * {@link EventStats.SinkStats#failed()} and logged, and delivery goes on with the next event. A
 * sink that falls further behind than its buffer loses events, counted in
 * {@link EventStats.SinkStats#dropped()} and logged; the other sinks still receive them.
 *
 * @since 0.1
 */
public interface EventSink {
  /** Delivers one event. */
  void deliver(Event event) throws Exception;

  /**
   * Called when this sink's delivery thread has caught up with every event published so far, and
   * at shutdown: push what is buffered (a file's write buffer, a batch).
   */
  default void flush() throws Exception {}

  /** Called once, after the last delivery, when the application has stopped. */
  default void close() throws Exception {}

  /** The name logs, statistics and metrics show; the class's simple name by default. */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? getClass().getName() : simple;
  }
}

package dev.ordo.runtime.events;

/**
 * Where events go: a file, a message broker, a test's list. Give sinks to
 * {@link EventOptions#sink(EventSink)}; {@code ordo.events.file} adds a {@link JsonLinesEventSink}.
 *
 * <p>Each sink is called from its own delivery thread, one event at a time, in publishing order,
 * so an implementation needs no locking of its own. A sink may block (a network write) or throw:
 * only its own deliveries wait, or fail; the other sinks are not affected. A sink that falls
 * further behind than its buffer misses events, counted in {@link EventStats.SinkStats#dropped()}
 * and logged.
 *
 * <h2>When an event counts as delivered</h2>
 * An event counts as {@linkplain EventStats.SinkStats#delivered() delivered} only once the sink
 * has written it: {@link #deliver} returned normally, and then the next {@link #flush} returned
 * normally too. So:
 * <ul>
 *   <li>If {@code deliver} throws, that event counts as {@linkplain EventStats.SinkStats#failed()
 *       failed}, and delivery goes on with the next one.
 *   <li>If {@code flush} throws, every event delivered since the previous flush counts as failed.
 *       A sink that buffers (a file's write buffer, a batch for a broker) must therefore write its
 *       buffer in {@code flush} and throw when it could not write all of it, and must not write the
 *       buffer from {@code deliver} (a failure there would be charged to one event only).
 *   <li>A sink that writes each event through in {@code deliver} (and throws when that fails) needs
 *       no {@code flush}: the default does nothing, and its events count as delivered at the next
 *       flush.
 * </ul>
 * {@code flush} is called whenever the sink has caught up with the events published so far, at
 * least every few hundred events while it has not, and once more before {@link #close}. Failures
 * are logged once with their cause, then at most every 10 seconds as a count, never once per
 * event. {@link EventStats#lossless()} is false as soon as one event failed.
 *
 * <p>At the end of the shutdown every sink receives every accepted event, the application's final
 * one last, while the shutdown budget lasts; a sink still busy when it ends is interrupted, and
 * what it had not written is counted as dropped, not delivered.
 *
 * @since 0.1
 */
public interface EventSink {
  /** Delivers one event: writes it, or adds it to what {@link #flush()} writes. */
  void deliver(Event event) throws Exception;

  /**
   * Writes out what {@link #deliver} buffered (a file's write buffer, a batch), and throws if it
   * could not write all of it: the events delivered since the previous flush count as delivered
   * when it returns, as failed when it throws.
   */
  default void flush() throws Exception {}

  /** Called once, after the last delivery and its flush, when the application has stopped. */
  default void close() throws Exception {}

  /** The name logs, statistics and metrics show; the class's simple name by default. */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? getClass().getName() : simple;
  }
}

package dev.ordo.runtime.events;

import java.util.List;

/**
 * What the event delivery has done so far: events accepted and refused at the hand-off, and per
 * sink, events delivered, failed, dropped and still pending. Every event accepted for a sink ends
 * in exactly one of its {@code delivered}, {@code failed} or {@code dropped}; until then it is
 * {@code pending}. With sinks that write everything, after the end of the shutdown, every sink has
 * {@code delivered == published}.
 *
 * @param published events accepted into the queue
 * @param dropped events refused because the queue was full (or the application had stopped); each
 *     is counted here and logged, never lost silently
 * @param sinks each sink's statistics, in the order the sinks were given
 * @since 0.1
 */
public record EventStats(long published, long dropped, List<SinkStats> sinks) {
  /** Copies the list. */
  public EventStats {
    sinks = List.copyOf(sinks);
  }

  /**
   * One sink's statistics.
   *
   * @param name the sink's {@linkplain EventSink#name() name}
   * @param delivered events the sink wrote: its {@link EventSink#deliver deliver} returned, and so
   *     did the {@link EventSink#flush flush} after it
   * @param failed events whose {@code deliver} threw, or whose {@code flush} threw
   * @param dropped events the sink never wrote nor failed: its buffer was full (it was too slow),
   *     or it was still busy with them (queued, in hand, or written but not flushed) when the
   *     shutdown budget ran out
   * @param pending events handed to the sink and not settled yet: waiting in its buffer, in hand,
   *     or written but not yet flushed
   */
  public record SinkStats(String name, long delivered, long failed, long dropped, long pending) {}

  /**
   * Whether every sink delivered every published event: nothing was dropped or failed anywhere,
   * and nothing is pending.
   */
  public boolean lossless() {
    if (dropped != 0) {
      return false;
    }
    for (SinkStats s : sinks) {
      if (s.failed != 0 || s.dropped != 0 || s.pending != 0 || s.delivered != published) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder().append(published).append(" events published, ").append(dropped)
        .append(" dropped at the queue");
    for (SinkStats sink : sinks) {
      s.append("; ").append(sink.name).append(": ").append(sink.delivered).append(" delivered");
      if (sink.failed > 0) {
        s.append(", ").append(sink.failed).append(" failed");
      }
      if (sink.dropped > 0) {
        s.append(", ").append(sink.dropped).append(" dropped");
      }
      if (sink.pending > 0) {
        s.append(", ").append(sink.pending).append(" pending");
      }
    }
    return s.toString();
  }
}

package dev.ordo.runtime.events;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.ShutdownReason;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The events of one application: it builds CloudEvents, queues them, and delivers them to the
 * sinks. Obtain it from {@link dev.ordo.runtime.Ordo#events()}; generated {@code Foo_Events}
 * classes publish through it.
 *
 * <h2>What is published</h2>
 * With the default type prefix {@code dev.ordo} ({@code ordo.events.type-prefix}):
 * <ul>
 *   <li>{@code dev.ordo.application.starting|started|draining|stopping|stopped|failed}
 *   <li>{@code dev.ordo.component.starting|started|failed|skipped|stopping|stopped}, with the
 *       hook's duration and the cause of a failure
 *   <li>{@code dev.ordo.health.changed} (the aggregate) and {@code dev.ordo.health.check.changed}
 *   <li>for each operation declared with {@code @PublishesEvents}, such as {@code checkout}:
 *       {@code dev.ordo.checkout.started}, {@code .completed} (with its duration) and
 *       {@code .failed} (with the error's type and message)
 *   <li>for each payload record declared with {@code @PublishesEvents(payloads = ...)}, such as
 *       {@code OrderPlaced}: {@code dev.ordo.order-placed}, whose data are the record's components
 * </ul>
 * {@link #catalog()} lists them all, with their data fields.
 *
 * <h2>Delivery</h2>
 * Publishing builds the event on the caller's thread and offers it to a bounded queue; it never
 * waits: when the queue is full ({@code ordo.events.queue-size}), the event is dropped, counted in
 * {@link EventStats#dropped()} and logged. One dispatcher thread hands each event to every sink's
 * own bounded buffer, drained by that sink's delivery thread, so that a slow or failing sink
 * delays or loses only its own events. During the shutdown, after the components stopped and
 * before the application reports STOPPED, everything accepted is delivered and the sinks are
 * flushed and closed, within what is left of the shutdown budget.
 *
 * @since 0.1
 */
public final class EventPublisher {
  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
  private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final OperationObserver[] NO_OBSERVERS = new OperationObserver[0];

  private final String application;
  private final String source;
  private final String typePrefix;
  private final String runId;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final Dispatcher dispatcher;
  private final SinkLane[] lanes;
  private final LongAdder droppedAfterFinish = new LongAdder();
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
  private final AtomicLong dropsLogged = new AtomicLong();
  private final LifecycleEvents lifecycle;
  private volatile OperationObserver[] observers = NO_OBSERVERS;
  private volatile boolean finished;
  private volatile EventCatalog catalog;

  /**
   * The events of application {@code application}, configured by {@code options} and then by the
   * process's system properties and environment ({@code ordo.events.*}). {@link dev.ordo.runtime.Ordo}
   * creates one per application; tests and tools may create their own.
   *
   * @throws dev.ordo.runtime.ConfigurationException if a setting is invalid or the events file
   *     cannot be opened
   */
  public EventPublisher(String application, EventOptions options) {
    this(application, options.resolve(System.getProperties(), System.getenv()));
  }

  EventPublisher(String application, EventOptions.Config config) {
    this.application = Objects.requireNonNull(application, "application");
    this.source = config.source();
    this.typePrefix = config.typePrefix();
    this.runId = Correlation.newId();
    this.idPrefix = runId.substring(0, 12) + "-";
    this.lifecycle = new LifecycleEvents(this, application);
    List<EventSink> sinks = config.sinks();
    if (sinks.isEmpty()) {
      this.dispatcher = null;
      this.lanes = new SinkLane[0];
    } else {
      this.lanes = new SinkLane[sinks.size()];
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = new SinkLane(application + "-events-" + i, config.queueSize(), sinks.get(i));
      }
      this.dispatcher = new Dispatcher(application + "-events", config.queueSize());
      if (lanes.length == 1) {
        // One sink has no other sink to be isolated from: the dispatcher delivers to it directly,
        // saving a hand-off and a thread; a slow sink then fills the publishing queue instead.
        lanes[0].runOn(dispatcher);
      }
    }
  }

  /** Whether events are delivered anywhere: some sink is configured. */
  public boolean enabled() {
    return dispatcher != null;
  }

  /** The {@code source} attribute of every event. */
  public String source() {
    return source;
  }

  /** The prefix of every event type, such as {@code dev.ordo}. */
  public String typePrefix() {
    return typePrefix;
  }

  /**
   * The id of this application run: the {@code correlationid} of the lifecycle and health events,
   * which ties the events of one run of the application together.
   */
  public String runId() {
    return runId;
  }

  /** The full type of the event {@code name}: {@code typePrefix() + "." + name}. */
  public String type(String name) {
    return typePrefix + "." + name;
  }

  /**
   * The operation {@code name} of {@code component} (its name, as {@link
   * dev.ordo.runtime.ComponentDescriptor#name()} gives it). Generated {@code Foo_Events} classes
   * hold one per declared operation.
   */
  public Operation operation(String component, String name) {
    return new Operation(this, Objects.requireNonNull(component, "component"), Objects.requireNonNull(name, "name"));
  }

  /**
   * Publishes the event {@code name} (its type is {@code typePrefix() + "." + name}) about
   * {@code component}, with {@code data}. Generated code calls it for declared payload records;
   * the correlation id is {@code correlationId}, else the current one ({@link Correlation#current()}).
   *
   * @return whether the event was accepted (false: no sink, or the queue was full)
   */
  public boolean publish(String component, String name, String correlationId, Map<String, ?> data) {
    if (dispatcher == null) {
      return false;
    }
    String id = correlationId != null ? correlationId : Correlation.current();
    Map<String, Object> copy = new LinkedHashMap<>(data);
    return offer(event(type(name), component, id, java.util.Collections.unmodifiableMap(copy)));
  }

  /** Builds an event of this application: a new id, the source, the time now. */
  Event event(String type, String subject, String correlationId, Map<String, Object> data) {
    return new Event(idPrefix + sequence.incrementAndGet(), source, type, Instant.now(), subject,
        correlationId, data);
  }

  /** Queues {@code event} for the sinks; never waits. False if it was dropped (or no sink). */
  boolean offer(Event event) {
    Dispatcher d = dispatcher;
    if (d == null) {
      return false;
    }
    if (finished) {
      droppedAfterFinish.increment();
      logDrop("the application has stopped");
      return false;
    }
    if (!d.offer(event)) {
      logDrop("the event queue is full (ordo.events.queue-size)");
      return false;
    }
    return true;
  }

  private void logDrop(String why) {
    long now = System.nanoTime();
    long last = lastDropLog.get();
    if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
      long total = dropped();
      long since = total - dropsLogged.getAndSet(total);
      LOG.log(Level.WARNING, "Dropped " + since + " event(s) because " + why + "; " + total
          + " dropped so far. Events are never waited for: raise ordo.events.queue-size, or speed up"
          + " the slowest sink");
    }
  }

  private long dropped() {
    return (dispatcher == null ? 0 : dispatcher.refused()) + droppedAfterFinish.sum();
  }

  /** Adds an observer of every operation's end (metrics use one). */
  public void addOperationObserver(OperationObserver observer) {
    Objects.requireNonNull(observer, "observer");
    synchronized (this) {
      OperationObserver[] more = Arrays.copyOf(observers, observers.length + 1);
      more[more.length - 1] = observer;
      observers = more;
    }
  }

  OperationObserver[] observers() {
    return observers;
  }

  /** What delivery has done so far. */
  public EventStats stats() {
    List<EventStats.SinkStats> sinks = new ArrayList<>(lanes.length);
    for (SinkLane lane : lanes) {
      sinks.add(lane.stats());
    }
    long published = dispatcher == null ? 0 : dispatcher.accepted();
    return new EventStats(published, dropped(), sinks);
  }

  /**
   * Every event type the application can publish: the built-in lifecycle and health events and
   * those of the {@code META-INF/ordo/events.json} of every module on the class path, with the
   * type prefix in force.
   */
  public EventCatalog catalog() {
    EventCatalog c = catalog;
    if (c == null) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      c = EventCatalog.load(loader != null ? loader : EventPublisher.class.getClassLoader(), typePrefix);
      catalog = c;
    }
    return c;
  }

  /**
   * Waits until every event accepted so far has been delivered to every sink (or failed there) and
   * the sinks flushed, or until {@code timeout}; true if all were.
   */
  public boolean flush(Duration timeout) {
    if (dispatcher == null) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = dispatcher.awaitFlushed(deadline);
    for (SinkLane lane : lanes) {
      all &= lane.awaitFlushed(deadline);
    }
    return all;
  }

  /** The listener that turns lifecycle and health changes into events; {@code Ordo} registers it. */
  public LifecycleListener lifecycleListener() {
    return lifecycle;
  }

  /**
   * How much of a shutdown budget to keep for the final flush: a tenth, at most 250 ms; none
   * without a sink. {@code Ordo} stops the components within the rest.
   */
  public long flushReserveNanos(Duration budget) {
    return dispatcher == null ? 0 : Math.min(TimeUnit.MILLISECONDS.toNanos(250), budget.toNanos() / 10);
  }

  /**
   * Ends the events of the application, at the end of its shutdown: publishes
   * {@code application.stopped} (or {@code .failed}), delivers everything accepted, then flushes
   * and closes the sinks, by {@code deadlineNanos} ({@link System#nanoTime()}). A sink still busy
   * then is abandoned and what it had not delivered is counted. Called by {@code Ordo} once, after
   * the components stopped and before it reports {@code to}; later events are dropped and counted.
   */
  public EventStats finish(
      ApplicationState from, ApplicationState to, ShutdownReason reason, Duration took, long deadlineNanos) {
    lifecycle.applicationEnded(from, to, reason, took);
    if (dispatcher == null) {
      finished = true;
      return stats();
    }
    boolean delivered = dispatcher.awaitFlushed(deadlineNanos);
    finished = true;
    boolean dispatched = dispatcher.close(deadlineNanos);
    delivered &= dispatched;
    if (lanes.length == 1) {
      // The dispatcher delivered to the one sink, and closed it as it ended (unless it was stuck).
      if (!dispatched) {
        LOG.log(Level.WARNING, "Event sink " + lanes[0].sink.name() + " was still busy when the shutdown budget"
            + " ran out; " + dispatcher.abandoned() + " event(s) it had not delivered were abandoned");
      }
    } else {
      for (SinkLane lane : lanes) {
        if (!lane.close(deadlineNanos)) {
          delivered = false;
          LOG.log(Level.WARNING, "Event sink " + lane.sink.name() + " was still busy when the shutdown budget"
              + " ran out; " + lane.abandoned() + " event(s) it had not delivered were abandoned");
        }
      }
    }
    EventStats stats = stats();
    boolean clean = delivered && stats.lossless();
    LOG.log(clean ? Level.INFO : Level.WARNING, () -> "Events: " + stats);
    return stats;
  }

  @Override
  public String toString() {
    return "EventPublisher[" + application + ", " + source + ", " + lanes.length + " sinks]";
  }

  /** Takes events off the publishing queue and hands each to every sink's buffer. */
  private final class Dispatcher extends DeliveryLane {
    Dispatcher(String threadName, int capacity) {
      super(threadName, capacity);
    }

    @Override
    void handle(Event event) {
      if (lanes.length == 1) {
        lanes[0].handle(event);
        return;
      }
      for (SinkLane lane : lanes) {
        if (!lane.offer(event)) {
          lane.logOverflow();
        }
      }
    }

    @Override
    void idle() {
      if (lanes.length == 1) {
        lanes[0].idle();
      }
    }

    @Override
    void closed() {
      if (lanes.length == 1) {
        lanes[0].closed();
      }
    }
  }

  /** One sink's buffer and delivery thread. */
  private static final class SinkLane extends DeliveryLane {
    final EventSink sink;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long lastFailureLog = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;
    private long lastOverflowLog = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;

    /** The lane whose thread delivers to this sink: this one, or the dispatcher for a single sink. */
    private DeliveryLane runner = this;

    SinkLane(String threadName, int capacity, EventSink sink) {
      super(threadName, capacity);
      this.sink = sink;
    }

    void runOn(DeliveryLane dispatcher) {
      this.runner = dispatcher;
    }

    @Override
    void handle(Event event) {
      try {
        sink.deliver(event);
        if (!runner.abandoning()) {
          delivered.incrementAndGet();
        }
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
          throw (VirtualMachineError) t;
        }
        if (runner.abandoning()) {
          return; // counted as abandoned, and interrupted on purpose
        }
        long n = failed.incrementAndGet();
        long now = System.nanoTime();
        if (n == 1 || now - lastFailureLog >= DROP_LOG_INTERVAL_NANOS) {
          lastFailureLog = now;
          LOG.log(Level.WARNING, "Event sink " + sink.name() + " failed to deliver " + event.type() + " ("
              + n + " failure(s) so far); the other sinks are not affected", t);
        }
      }
    }

    @Override
    void idle() {
      try {
        sink.flush();
      } catch (Throwable t) {
        LOG.log(Level.WARNING, "Event sink " + sink.name() + " failed to flush", t);
      }
    }

    @Override
    void closed() {
      idle();
      try {
        sink.close();
      } catch (Throwable t) {
        LOG.log(Level.WARNING, "Event sink " + sink.name() + " failed to close", t);
      }
    }

    /** Called on the dispatcher's thread only. */
    void logOverflow() {
      long now = System.nanoTime();
      if (refused() == 1 || now - lastOverflowLog >= DROP_LOG_INTERVAL_NANOS) {
        lastOverflowLog = now;
        LOG.log(Level.WARNING, "Event sink " + sink.name() + " is too slow: its buffer is full, so it misses"
            + " events (" + refused() + " so far); the other sinks still receive them");
      }
    }

    EventStats.SinkStats stats() {
      if (runner != this) {
        // Delivered by the dispatcher: what it abandoned at the end is this sink's loss.
        return new EventStats.SinkStats(sink.name(), delivered.get(), failed.get(), runner.abandoned(),
            runner.pending());
      }
      return new EventStats.SinkStats(sink.name(), delivered.get(), failed.get(), refused() + abandoned(),
          pending());
    }
  }
}

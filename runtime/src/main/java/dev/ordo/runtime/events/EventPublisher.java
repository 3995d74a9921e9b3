package dev.ordo.runtime.events;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.ShutdownReason;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 *   <li>{@code dev.ordo.metric.recorded}, a snapshot of the application's own figures, with
 *       {@code ordo.events.metrics-interval} set
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
 * {@link EventStats#dropped()} and logged. The application's and components' transitions are the
 * exception: they are few (a handful per component and run), so they are accepted past the
 * capacity rather than dropped. One dispatcher thread hands each event to every sink's own bounded
 * buffer, drained by that sink's delivery thread, so that a slow or failing sink delays or loses
 * only its own events (with one sink, the dispatcher delivers to it itself). An event counts as
 * delivered to a sink once the sink has written it: {@link EventSink#deliver} and then
 * {@link EventSink#flush} returned (see {@link EventSink}); a write or flush that fails counts as
 * failed.
 *
 * <h2>The end</h2>
 * {@link #finish} publishes the application's final transition ({@code application.stopped} or
 * {@code .failed}), refuses every later event, and waits, until the deadline it is given, for
 * every sink to write every accepted event, the final one last; then the sinks are closed. Only a
 * sink still busy at the deadline loses events: they are counted in
 * {@link EventStats.SinkStats#dropped()} and logged, never reported delivered.
 *
 * <h2>Without a sink</h2>
 * {@link #enabled()} is false: there is no queue and no thread, no event is built, and
 * {@link #lifecycleListener()} need not be registered at all. Operations still run, with their
 * correlation ids, and are still seen by {@link OperationObserver}s (metrics).
 *
 * @since 0.1
 */
public final class EventPublisher {
  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
  private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final OperationObserver[] NO_OBSERVERS = new OperationObserver[0];
  private static final long FLUSH_RESERVE_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
  /** A wait this long (73 years) means no limit, and keeps deadline arithmetic clear of overflow. */
  private static final long NO_LIMIT_NANOS = Long.MAX_VALUE / 4;

  private final String application;
  private final String source;
  private final String typePrefix;
  private final String runId;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  /** Null without a sink. */
  private final Dispatcher dispatcher;
  /** With one sink: that sink, delivered to by the dispatcher's thread; else null. */
  private final SinkDelivery onlySink;
  /** With several sinks: each one's buffer and thread; else empty. */
  private final SinkLane[] lanes;
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
  private final AtomicLong dropsLogged = new AtomicLong();
  private final LifecycleEvents lifecycle;
  private final AtomicBoolean finishing = new AtomicBoolean();
  private volatile OperationObserver[] observers = NO_OBSERVERS;
  private volatile EventCatalog catalog;
  /** {@code ordo.events.metrics-interval}, or {@code null} when off. */
  private final java.time.Duration metricsInterval;
  /** The metric events' schedule, once {@link #metricEvents} made it; {@code null} otherwise. */
  private volatile MetricEvents metrics;

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
    this.metricsInterval = config.metricsInterval();
    List<EventSink> sinks = config.sinks();
    if (sinks.isEmpty()) {
      this.dispatcher = null;
      this.onlySink = null;
      this.lanes = new SinkLane[0];
    } else if (sinks.size() == 1) {
      // One sink has no other sink to be isolated from: the dispatcher delivers to it directly,
      // saving a hand-off and a thread; a slow sink then fills the publishing queue instead.
      this.dispatcher = new Dispatcher(application + "-events", config.queueSize());
      this.onlySink = new SinkDelivery(sinks.get(0), dispatcher);
      this.lanes = new SinkLane[0];
    } else {
      this.dispatcher = new Dispatcher(application + "-events", config.queueSize());
      this.onlySink = null;
      this.lanes = new SinkLane[sinks.size()];
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = new SinkLane(application + "-events-" + i, config.queueSize(), sinks.get(i));
      }
    }
  }

  /**
   * Whether events are delivered anywhere: true exactly when some sink is configured. When false,
   * there is no event queue and no delivery thread, nothing is built or published, and the
   * {@linkplain #lifecycleListener() lifecycle listener} has nothing to do: the engine does not
   * register it.
   */
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
   * <p>Without a sink ({@link #enabled()} false) it returns false at once, building nothing; a
   * caller that would build {@code data} only to publish it can check {@code enabled()} first.
   *
   * @return whether the event was accepted (false: no sink, the queue was full, or the
   *     application has stopped)
   */
  public boolean publish(String component, String name, String correlationId, Map<String, ?> data) {
    if (dispatcher == null) {
      return false;
    }
    String id = correlationId != null ? correlationId : Correlation.current();
    Map<String, Object> copy = new LinkedHashMap<>(data);
    return offer(event(type(name), component, id, Collections.unmodifiableMap(copy)), false);
  }

  /** Builds an event of this application: a new id, the source, the time now. */
  Event event(String type, String subject, String correlationId, Map<String, Object> data) {
    return new Event(idPrefix + sequence.incrementAndGet(), source, type, Instant.now(), subject,
        correlationId, data);
  }

  /**
   * Queues {@code event} for the sinks; never waits. False if it was dropped (or no sink).
   *
   * @param force accept it past the queue's capacity: the application's and components'
   *     transitions, which are few (a handful per component and run) and which a reader of the
   *     events needs most, are never dropped for lack of room
   */
  boolean offer(Event event, boolean force) {
    Dispatcher d = dispatcher;
    if (d == null) {
      return false;
    }
    if (!d.offer(event, force)) {
      logDrop(d.isClosed() ? "the application has stopped" : "the event queue is full (ordo.events.queue-size)");
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
    return dispatcher == null ? 0 : dispatcher.refusedFull() + dispatcher.refusedClosed();
  }

  /**
   * The listener that publishes the events of a managed resource of {@code component} (its name):
   * {@code resource.loaded}, {@code resource.swapped}, {@code resource.swap-failed} and
   * {@code resource.unloaded}. The runtime adds one to each resource of each component.
   *
   * @since 0.1
   */
  public dev.ordo.runtime.resources.ResourceListener resourceListener(String component) {
    return new ResourceEvents(this, Objects.requireNonNull(component, "component"));
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
    if (dispatcher == null) {
      return new EventStats(0, 0, List.of());
    }
    List<EventStats.SinkStats> sinks = new ArrayList<>(Math.max(1, lanes.length));
    if (onlySink != null) {
      sinks.add(onlySink.counts(0));
    } else {
      long lostUpstream = dispatcher.abandoned(); // never handed to any sink
      for (SinkLane lane : lanes) {
        sinks.add(lane.delivery.counts(lane.refusedFull() + lane.refusedClosed() + lostUpstream));
      }
    }
    return new EventStats(dispatcher.accepted(), dropped(), sinks);
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
   * Waits until every event accepted so far has been handed to every sink and settled there
   * (written and flushed, or failed), or until {@code timeout}; true if all were. Events a sink
   * misses because its buffer was full are not waited for (they are counted as dropped).
   */
  public boolean flush(Duration timeout) {
    if (dispatcher == null) {
      return true;
    }
    long deadline = System.nanoTime() + Math.min(nanos(timeout), NO_LIMIT_NANOS);
    boolean all = dispatcher.awaitFlushed(deadline);
    for (SinkLane lane : lanes) {
      all &= lane.awaitFlushed(deadline);
    }
    return all;
  }

  /**
   * The listener that turns lifecycle and health changes into events. The engine registers it
   * only when {@link #enabled()}: without a sink it would have nothing to do. It does not need to
   * run on the thread that made a transition (it publishes, which never blocks), but it must hear
   * every transition before {@link #finish} is called: a transition it hears after that is
   * refused, counted as dropped and logged.
   */
  public LifecycleListener lifecycleListener() {
    return lifecycle;
  }

  /** {@code ordo.events.metrics-interval}: how often {@code metric.recorded} is published; empty when off. */
  public java.util.Optional<java.time.Duration> metricsInterval() {
    return java.util.Optional.ofNullable(metricsInterval);
  }

  /**
   * The observer that publishes {@code <prefix>.metric.recorded} every {@link #metricsInterval()}
   * while the application is RUNNING, with {@code snapshot}'s figures as its data, and a last one at
   * {@link #finish}; {@code null} when there is no sink or no interval. For the runtime, which
   * registers it once as an internal observer; {@code snapshot} runs on the metrics thread and must
   * neither block nor run user code.
   */
  public LifecycleListener metricEvents(java.util.function.Supplier<java.util.Map<String, Object>> snapshot) {
    if (!enabled() || metricsInterval == null) {
      return null;
    }
    MetricEvents m = new MetricEvents(this, metricsInterval, snapshot, application + "-metrics");
    metrics = m;
    return m;
  }

  /**
   * How much of a shutdown budget to keep for the final delivery of events: a tenth, at most
   * 250 ms; none without a sink. The engine stops the components within the rest, so that the
   * events are never left with nothing; {@link #finish} then uses whatever is left of the budget,
   * however much that is.
   */
  public long flushReserveNanos(Duration budget) {
    if (dispatcher == null) {
      return 0;
    }
    return Math.min(FLUSH_RESERVE_CAP_NANOS, nanos(budget) / 10);
  }

  /** {@code d} in nanoseconds: 0 if negative, {@link Long#MAX_VALUE} past the range (no overflow). */
  private static long nanos(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }

  /**
   * Ends the events of the application, at the end of its shutdown, once the components have
   * stopped and every earlier transition was told to the {@linkplain #lifecycleListener() lifecycle
   * listener}, and before the application reports {@code to}. It publishes the application's final
   * transition ({@code application.stopped}, or {@code .failed} when {@code to} is
   * {@link ApplicationState#FAILED}), with {@code took} as its duration; refuses every later event
   * (counted as dropped); and waits until every sink has written every accepted event, the final
   * one last, and has been flushed and closed, or until {@code deadlineNanos} (a
   * {@link System#nanoTime()} value). A sink still busy at the deadline is abandoned: what it had
   * not written is counted in {@link EventStats.SinkStats#dropped()} and logged. Later calls only
   * return the statistics. Without a sink, it returns at once.
   *
   * @return the statistics after the end: {@link EventStats#lossless()} if every sink wrote every
   *     event
   */
  public EventStats finish(
      ApplicationState from, ApplicationState to, ShutdownReason reason, Duration took, long deadlineNanos) {
    Dispatcher d = dispatcher;
    if (d == null || !finishing.compareAndSet(false, true)) {
      return stats();
    }
    MetricEvents m = metrics;
    if (m != null) {
      m.close(deadlineNanos);
      try {
        offer(m.event(), true); // the last snapshot: every component's stop is over
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not take the last metrics snapshot", e);
      }
    }
    d.beginClose(lifecycle.applicationEnded(from, to, reason, took));
    if (!d.awaitClosed(deadlineNanos)) {
      if (onlySink != null) {
        LOG.log(Level.WARNING, "Event sink " + onlySink.name() + " was still busy when the shutdown budget ran"
            + " out; " + onlySink.abandon() + " event(s) it had not written were abandoned");
      } else {
        LOG.log(Level.WARNING, "The event dispatcher was still busy when the shutdown budget ran out; "
            + d.abandoned() + " event(s) were never handed to the sinks");
      }
    }
    for (SinkLane lane : lanes) {
      lane.beginClose(null);
    }
    for (SinkLane lane : lanes) {
      if (!lane.awaitClosed(deadlineNanos)) {
        LOG.log(Level.WARNING, "Event sink " + lane.delivery.name() + " was still busy when the shutdown budget ran"
            + " out; " + lane.delivery.abandon() + " event(s) it had not written were abandoned");
      }
    }
    EventStats stats = stats();
    LOG.log(stats.lossless() ? Level.INFO : Level.WARNING, () -> "Events: " + stats);
    return stats;
  }

  @Override
  public String toString() {
    return "EventPublisher[" + application + ", " + source + ", "
        + (dispatcher == null ? 0 : onlySink != null ? 1 : lanes.length) + " sinks]";
  }

  /** Takes events off the publishing queue and hands each to every sink (or delivers it to the only one). */
  private final class Dispatcher extends DeliveryLane {
    Dispatcher(String threadName, int capacity) {
      super(threadName, capacity);
    }

    @Override
    void handle(Event event, boolean forced) {
      if (onlySink != null) {
        onlySink.deliver(event);
        return;
      }
      // Once the end began, nothing more is accepted: whatever is left goes to every sink whole,
      // past the buffers' capacity (which bounds it: at most a queue's worth).
      boolean force = forced || isClosing();
      for (SinkLane lane : lanes) {
        if (!lane.offer(event, force)) {
          lane.logOverflow();
        }
      }
    }

    @Override
    void flush() {
      if (onlySink != null) {
        onlySink.flush();
      }
    }

    @Override
    void closed() {
      if (onlySink != null) {
        onlySink.close();
      }
    }

    @Override
    void abandoned(long notHandled) {
      if (onlySink != null) {
        onlySink.abandon(); // before the interrupt: what the stuck sink then throws is not a failure
      }
    }
  }

  /** One sink's buffer and delivery thread (when there are several sinks). */
  private static final class SinkLane extends DeliveryLane {
    final SinkDelivery delivery;
    private long lastOverflowLog = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;

    SinkLane(String threadName, int capacity, EventSink sink) {
      super(threadName, capacity);
      this.delivery = new SinkDelivery(sink, this);
    }

    @Override
    void handle(Event event, boolean forced) {
      delivery.deliver(event);
    }

    @Override
    void flush() {
      delivery.flush();
    }

    @Override
    void closed() {
      delivery.close();
    }

    @Override
    void abandoned(long notHandled) {
      delivery.abandon(); // before the interrupt: what the stuck sink then throws is not a failure
    }

    /** Called on the dispatcher's thread only. */
    void logOverflow() {
      long now = System.nanoTime();
      long refused = refusedFull();
      if (refused == 1 || now - lastOverflowLog >= DROP_LOG_INTERVAL_NANOS) {
        lastOverflowLog = now;
        LOG.log(Level.WARNING, "Event sink " + delivery.name() + " is too slow: its buffer is full, so it misses"
            + " events (" + refused + " so far); the other sinks still receive them");
      }
    }
  }
}

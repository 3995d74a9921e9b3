package dev.ordo.runtime.events;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ShutdownReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

/**
 * A JMH-free micro benchmark of publishing, until the benchmarks module takes it over:
 *
 * <ol>
 *   <li>caller-side cost: nanoseconds per event on the publishing thread (build the event, offer it
 *       to the queue), with a queue large enough that nothing is dropped, so that the figure is that
 *       of the accepted path;
 *   <li>an operation (started + completed, with a correlation id) with and without a sink;
 *   <li>sustained throughput: events per second that reach a no-op sink with 1 and 4 publishing
 *       threads at full speed through the default queue (8192), and how many were dropped.
 * </ol>
 *
 * <pre>
 * mvn -o -q -pl runtime test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp runtime/target/classes:runtime/target/test-classes dev.ordo.runtime.events.EventPublishBenchmark
 * </pre>
 */
public final class EventPublishBenchmark {
  private static final Map<String, Object> DATA = Map.of("orderId", 42L);

  /** Counts and forgets. */
  static final class NoOpSink implements EventSink {
    final LongAdder delivered = new LongAdder();

    @Override
    public void deliver(Event event) {
      delivered.increment();
    }
  }

  private static EventPublisher publisher(int queueSize, EventSink... sinks) {
    EventOptions options = EventOptions.defaults().source("/bench").queueSize(queueSize);
    for (EventSink s : sinks) {
      options = options.sink(s);
    }
    return new EventPublisher("bench", options.resolve(new Properties(), Map.of()));
  }

  private static void finish(EventPublisher p) {
    p.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        System.nanoTime() + Duration.ofSeconds(30).toNanos());
  }

  public static void main(String[] args) throws Exception {
    System.out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
        + " cpus");
    callerSide();
    operations();
    sustained(1);
    sustained(4);
  }

  private static void callerSide() {
    int batch = 200_000;
    NoOpSink sink = new NoOpSink();
    EventPublisher p = publisher(1 << 21, sink);
    List<Double> rounds = new ArrayList<>();
    for (int round = 0; round < 25; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        p.publish("bench", "order-placed", "c-1", DATA);
      }
      long took = System.nanoTime() - t0;
      p.flush(Duration.ofSeconds(30));
      if (round >= 10) { // the first rounds warm up the JIT
        rounds.add((double) took / batch);
      }
    }
    EventStats stats = p.stats();
    finish(p);
    rounds.sort(null);
    System.out.printf(Locale.ROOT, "caller-side publish: median %.0f ns/event (min %.0f, max %.0f); %d dropped%n",
        rounds.get(rounds.size() / 2), rounds.get(0), rounds.get(rounds.size() - 1), stats.dropped());
  }

  private static void operations() {
    for (boolean withSink : new boolean[] {false, true}) {
      NoOpSink sink = new NoOpSink();
      EventPublisher p = withSink ? publisher(1 << 21, sink) : publisher(1 << 21);
      Operation op = p.operation("bench", "checkout");
      Runnable work = () -> {};
      int batch = 100_000;
      List<Double> rounds = new ArrayList<>();
      for (int round = 0; round < 25; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          op.run("c-1", work);
        }
        long took = System.nanoTime() - t0;
        p.flush(Duration.ofSeconds(30));
        if (round >= 10) {
          rounds.add((double) took / batch);
        }
      }
      finish(p);
      rounds.sort(null);
      System.out.printf(Locale.ROOT, "operation (started + completed) %s: median %.0f ns/operation%n",
          withSink ? "to a no-op sink" : "without a sink", rounds.get(rounds.size() / 2));
    }
  }

  private static void sustained(int threads) throws InterruptedException {
    NoOpSink sink = new NoOpSink();
    EventPublisher p = publisher(8192, sink);
    long seconds = 3;
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    LongAdder offered = new LongAdder();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        long n = 0;
        while (System.nanoTime() < end) {
          for (int i = 0; i < 1000; i++) {
            p.publish("bench", "order-placed", null, DATA);
          }
          n += 1000;
        }
        offered.add(n);
      });
      producers.add(thread);
    }
    long t0 = System.nanoTime();
    producers.forEach(Thread::start);
    for (Thread t : producers) {
      t.join();
    }
    p.flush(Duration.ofSeconds(30));
    double took = (System.nanoTime() - t0) / 1e9;
    EventStats stats = p.stats();
    finish(p);
    System.out.printf(Locale.ROOT,
        "sustained, %d publishing thread(s), queue 8192: %.2f M events/s delivered to a no-op sink;"
            + " %d offered, %d accepted, %d dropped (%.0f%%)%n",
        threads, sink.delivered.sum() / took / 1e6, offered.sum(), stats.published(), stats.dropped(),
        100.0 * stats.dropped() / Math.max(1, offered.sum()));
  }
}

package dev.ordo.runtime.health;

import dev.ordo.runtime.Health;
import dev.ordo.runtime.Ordo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probe latency and throughput over loopback while a health check hangs: a bounded number of
 * keep-alive GETs of {@code /health/ready} from a few client threads. Not a test; run it with
 *
 * <pre>
 * java -cp runtime/target/classes:runtime/target/test-classes dev.ordo.runtime.health.ProbeLoadBenchmark [requests] [threads]
 * </pre>
 */
public final class ProbeLoadBenchmark {
  private ProbeLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int warmup = Math.min(5_000, requests / 2);
    CountDownLatch never = new CountDownLatch(1);
    CheckedComponent stuck = CheckedComponent.component("stuck")
        .check("ping", Duration.ofMillis(500), Duration.ofSeconds(1), c -> {
          while (true) { // hangs for good: ignores the interrupt at its timeout
            try {
              never.await();
              return Health.up();
            } catch (InterruptedException ignored) {
              // keep hanging
            }
          }
        }).build();
    CheckedComponent store = CheckedComponent.component("store").critical()
        .check("ping", null, Duration.ofMillis(100), c -> Health.up().withDetail("connections", 8)).build();
    try (Ordo app = Ordo.builder().controller(stuck).controller(store)
        .health(HealthOptions.defaults().port(0)).build()) {
      app.start();
      Thread.sleep(1_500); // the hanging check has timed out and hangs on
      URI uri = URI.create("http://127.0.0.1:" + app.healthPort().getAsInt() + "/health/ready");
      System.out.println("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
          + " CPUs; " + app.health().report());
      run(uri, warmup, threads); // JIT warm-up, not reported
      long[] latencies = new long[requests];
      long wall = run(uri, requests, threads, latencies);
      Arrays.sort(latencies);
      System.out.printf("%,d requests of GET /health/ready over %d keep-alive clients with a hanging check:%n",
          requests, threads);
      System.out.printf("  median %.3f ms, p99 %.3f ms, max %.3f ms; %,.0f requests/s%n",
          latencies[requests / 2] / 1e6, latencies[(int) (requests * 0.99)] / 1e6,
          latencies[requests - 1] / 1e6, requests / (wall / 1e9));
      System.out.println("  stuck.ping was called " + stuck.calls(0) + " time(s)");
      // The server's own share of a request: read the cached results and write the JSON.
      int n = 200_000;
      long sink = 0;
      for (int i = 0; i < n; i++) {
        sink += app.health().report().json(HealthProbe.READY, false).length();
      }
      long s0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += app.health().report().json(HealthProbe.READY, false).length();
      }
      System.out.printf("  in-process report + JSON: %.2f us per probe (%d)%n",
          (System.nanoTime() - s0) / 1e3 / n, sink % 10);
    } finally {
      never.countDown();
    }
  }

  private static long run(URI uri, int requests, int threads) throws Exception {
    return run(uri, requests, threads, new long[requests]);
  }

  /** Sends {@code requests} GETs from {@code threads} threads; returns the wall time in ns. */
  private static long run(URI uri, int requests, int threads, long[] latencies) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
      workers[t] = new Thread(() -> {
        try {
          go.await();
          int i;
          while ((i = next.getAndIncrement()) < requests) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            latencies[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200 && r.statusCode() != 503) {
              failures.incrementAndGet();
            }
          }
        } catch (Exception e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      workers[t].start();
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long wall = System.nanoTime() - t0;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " requests failed");
    }
    return wall;
  }
}

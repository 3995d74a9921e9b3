package dev.ordo.demo;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.sun.net.httpserver.HttpExchange;
import dev.ordo.OnStartup;
import dev.ordo.runtime.resources.Lease;
import dev.ordo.runtime.resources.ManagedResource;
import dev.ordo.runtime.resources.ResourceUnavailableException;
import dev.ordo.runtime.resources.SwapFailedException;
import dev.ordo.runtime.resources.SwapResult;
import dev.ordo.runtime.resources.VersionStats;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A scoring model served by ONNX Runtime, held in a {@link ManagedResource}: every prediction
 * leases the current version, and a swap loads, warms up and checks the new version before it
 * serves, so that no request fails and no {@link OrtSession} is closed while a request runs on it
 * (closing one in use crashes the JVM: microsoft/onnxruntime#21812). Its model files are written
 * by the demo ({@link ModelFiles}): {@code v1} computes {@code y = 2x + 1}, {@code v2}
 * {@code y = 3x}, and {@code broken} is refused by ONNX Runtime.
 *
 * <p>It serves on the API's port, after the API started (a constructor parameter is a dependency):
 *
 * <ul>
 *   <li>{@code GET /predict?x=5}: {@code {"version":"v1","y":11.0}}, the version that served it and
 *       the model's output
 *   <li>{@code POST /admin/model?version=v2}: swaps; 200 with the new current version, or 409 with
 *       the reason when the version cannot load, warm up or pass its check (the current one keeps
 *       serving)
 *   <li>{@code GET /admin/model}: the loaded versions with their usage
 * </ul>
 *
 * <p>At startup it shows a swap under load: four threads predict while the model swaps from
 * {@code v1} to {@code v2} and back, and it prints how many predictions each version served, and
 * that none failed or was wrong.
 */
public final class ScoringModel {
  private static final int LOAD_THREADS = 4;

  /** The model: eager, so {@code v1} loads when the component starts; {@code v1} and the previous version stay loaded. */
  final ManagedResource<OrtSession> model;
  private final OrderApi api;
  private final ModelFiles files = ModelFiles.inTemporaryDirectory();

  /** The API is a hard dependency: the model serves on its port. */
  public ScoringModel(OrderApi api) {
    this.api = api;
    this.model = ManagedResource.<OrtSession>builder("scoring-model", this::load)
        .initialVersion("v1")
        .warmUp((session, version) -> predict(session, 1f))
        .healthCheck((session, version) -> session.getInputNames().equals(Set.of("x"))
            && session.getOutputNames().equals(Set.of("y"))
            && predict(session, 0f) == ModelFiles.expected(version, 0f))
        .loadTimeout(Duration.ofSeconds(30))
        .warmUpTimeout(Duration.ofSeconds(10))
        .build();
  }

  private OrtSession load(String version) throws IOException, OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      return env.createSession(files.file(version).toString(), options);
    }
  }

  /** Runs the model on {@code x}. */
  static float predict(OrtSession session, float x) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {x}), new long[] {1});
        OrtSession.Result result = session.run(Map.of("x", input))) {
      return ((float[]) result.get(0).getValue())[0];
    }
  }

  @OnStartup(timeout = "60s")
  void serve() throws Exception {
    api.route("/predict", this::predict);
    api.route("/admin/model", this::admin);
    showSwapUnderLoad();
  }

  /** Four threads predict while the model swaps v1 -> v2 -> v1; prints what each version served. */
  private void showSwapUnderLoad() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, LongAdder> served = Map.of("v1", new LongAdder(), "v2", new LongAdder());
    AtomicLong failed = new AtomicLong();
    AtomicLong wrong = new AtomicLong();
    LongAdder total = new LongAdder();
    Thread[] threads = new Thread[LOAD_THREADS];
    for (int t = 0; t < LOAD_THREADS; t++) {
      int seed = t;
      threads[t] = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          float x = (seed * 1000 + i) % 100;
          try (Lease<OrtSession> lease = model.acquire()) {
            float y = predict(lease.get(), x);
            if (y != ModelFiles.expected(lease.version(), x)) {
              wrong.incrementAndGet();
            }
            served.get(lease.version()).increment();
          } catch (Exception e) {
            failed.incrementAndGet();
          }
          total.increment();
        }
      }, "scoring-load-" + t);
      threads[t].start();
    }
    awaitPredictions(total, 200);
    model.swap("v2");
    awaitPredictions(total, total.sum() + 200);
    model.swap("v1");
    awaitPredictions(total, total.sum() + 200);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    System.out.printf(Locale.ROOT, "Scoring model: swapped v1 -> v2 -> v1 under load (%d threads): %,d predictions,"
            + " %d failed, %d wrong; v1 (y = 2x + 1) served %,d, v2 (y = 3x) served %,d%n",
        LOAD_THREADS, total.sum(), failed.get(), wrong.get(), served.get("v1").sum(), served.get("v2").sum());
  }

  private static void awaitPredictions(LongAdder total, long atLeast) throws InterruptedException {
    while (total.sum() < atLeast) {
      Thread.sleep(1);
    }
  }

  private void predict(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      OrderApi.respond(exchange, 405, "{\"error\":\"use GET /predict?x=5\"}");
      return;
    }
    String raw = OrderApi.query(exchange.getRequestURI().getRawQuery()).get("x");
    float x;
    try {
      x = Float.parseFloat(raw);
    } catch (NullPointerException | NumberFormatException e) {
      OrderApi.respond(exchange, 400, "{\"error\":\"x must be a number, as in /predict?x=5\"}");
      return;
    }
    try (Lease<OrtSession> lease = model.acquire()) {
      float y = predict(lease.get(), x);
      if (!Float.isFinite(y)) {
        OrderApi.respond(exchange, 422, "{\"version\":" + OrderApi.quote(lease.version()) + ",\"error\":\"y is not finite\"}");
        return;
      }
      OrderApi.respond(exchange, 200, "{\"version\":" + OrderApi.quote(lease.version()) + ",\"y\":" + y + "}");
    } catch (ResourceUnavailableException e) {
      OrderApi.respond(exchange, 503, "{\"error\":" + OrderApi.quote(e.getMessage()) + "}");
    } catch (OrtException e) {
      OrderApi.respond(exchange, 500, "{\"error\":" + OrderApi.quote(e.getMessage()) + "}");
    }
  }

  private void admin(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "GET":
        OrderApi.respond(exchange, 200, describe());
        break;
      case "POST":
        String version = OrderApi.query(exchange.getRequestURI().getRawQuery()).get("version");
        if (version == null || version.isBlank()) {
          OrderApi.respond(exchange, 400, "{\"error\":\"name the version, as in POST /admin/model?version=v2\"}");
          return;
        }
        try {
          SwapResult swap = model.swap(version);
          OrderApi.respond(exchange, 200, "{\"version\":" + OrderApi.quote(swap.version()) + ",\"previous\":"
              + (swap.previousVersion() == null ? "null" : OrderApi.quote(swap.previousVersion()))
              + ",\"loaded\":" + swap.loaded() + ",\"loadMs\":" + millis(swap.loadDuration())
              + ",\"warmUpMs\":" + millis(swap.warmUpDuration()) + "}");
        } catch (SwapFailedException e) {
          OrderApi.respond(exchange, 409, "{\"error\":" + OrderApi.quote(e.getMessage()) + ",\"reason\":"
              + OrderApi.quote(e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')) + ",\"requested\":"
              + OrderApi.quote(version) + ",\"current\":" + (e.currentVersion() == null ? "null" : OrderApi.quote(e.currentVersion()))
              + "}");
        }
        break;
      default:
        OrderApi.respond(exchange, 405, "{\"error\":\"use GET or POST /admin/model\"}");
    }
  }

  /** The resource and its loaded versions with their usage, as JSON. */
  private String describe() {
    StringBuilder json = new StringBuilder("{\"resource\":").append(OrderApi.quote(model.name()))
        .append(",\"current\":").append(model.currentVersion().map(OrderApi::quote).orElse("null"))
        .append(",\"state\":").append(OrderApi.quote(model.state().name()))
        .append(",\"loads\":").append(model.loads())
        .append(",\"swaps\":").append(model.swaps())
        .append(",\"failures\":").append(model.failures())
        .append(",\"lastSwapError\":").append(model.lastSwapError().map(OrderApi::quote).orElse("null"))
        .append(",\"versions\":[");
    boolean first = true;
    for (VersionStats v : model.versions()) {
      json.append(first ? "" : ",").append("{\"version\":").append(OrderApi.quote(v.version()))
          .append(",\"role\":").append(OrderApi.quote(v.role().name()))
          .append(",\"loadedAt\":").append(OrderApi.quote(v.loadedAt().toString()))
          .append(",\"loadMs\":").append(millis(v.loadDuration()))
          .append(",\"warmUpMs\":").append(millis(v.warmUpDuration()))
          .append(",\"totalUses\":").append(v.totalUses())
          .append(",\"inUse\":").append(v.inUse())
          .append(",\"lastUsed\":").append(v.lastUsed() == null ? "null" : OrderApi.quote(v.lastUsed().toString()))
          .append('}');
      first = false;
    }
    return json.append("]}").toString();
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
  }
}

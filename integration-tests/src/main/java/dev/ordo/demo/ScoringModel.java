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
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
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
      respond(exchange, 405, "{\"error\":\"use GET /predict?x=5\"}");
      return;
    }
    String raw = query(exchange).get("x");
    float x;
    try {
      x = Float.parseFloat(raw);
    } catch (NullPointerException | NumberFormatException e) {
      respond(exchange, 400, "{\"error\":\"x must be a number, as in /predict?x=5\"}");
      return;
    }
    try (Lease<OrtSession> lease = model.acquire()) {
      float y = predict(lease.get(), x);
      if (!Float.isFinite(y)) {
        respond(exchange, 422, "{\"version\":" + quote(lease.version()) + ",\"error\":\"y is not finite\"}");
        return;
      }
      respond(exchange, 200, "{\"version\":" + quote(lease.version()) + ",\"y\":" + y + "}");
    } catch (ResourceUnavailableException e) {
      respond(exchange, 503, "{\"error\":" + quote(e.getMessage()) + "}");
    } catch (OrtException e) {
      respond(exchange, 500, "{\"error\":" + quote(e.getMessage()) + "}");
    }
  }

  private void admin(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "GET":
        respond(exchange, 200, describe());
        break;
      case "POST":
        String version = query(exchange).get("version");
        if (version == null || version.isBlank()) {
          respond(exchange, 400, "{\"error\":\"name the version, as in POST /admin/model?version=v2\"}");
          return;
        }
        try {
          SwapResult swap = model.swap(version);
          respond(exchange, 200, "{\"version\":" + quote(swap.version()) + ",\"previous\":"
              + (swap.previousVersion() == null ? "null" : quote(swap.previousVersion()))
              + ",\"loaded\":" + swap.loaded() + ",\"loadMs\":" + millis(swap.loadDuration())
              + ",\"warmUpMs\":" + millis(swap.warmUpDuration()) + "}");
        } catch (SwapFailedException e) {
          respond(exchange, 409, "{\"error\":" + quote(e.getMessage()) + ",\"reason\":"
              + quote(e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')) + ",\"requested\":"
              + quote(version) + ",\"current\":" + (e.currentVersion() == null ? "null" : quote(e.currentVersion()))
              + "}");
        }
        break;
      default:
        respond(exchange, 405, "{\"error\":\"use GET or POST /admin/model\"}");
    }
  }

  /** The resource and its loaded versions with their usage, as JSON. */
  private String describe() {
    StringBuilder json = new StringBuilder("{\"resource\":").append(quote(model.name()))
        .append(",\"current\":").append(model.currentVersion().map(ScoringModel::quote).orElse("null"))
        .append(",\"state\":").append(quote(model.state().name()))
        .append(",\"loads\":").append(model.loads())
        .append(",\"swaps\":").append(model.swaps())
        .append(",\"failures\":").append(model.failures())
        .append(",\"lastSwapError\":").append(model.lastSwapError().map(ScoringModel::quote).orElse("null"))
        .append(",\"versions\":[");
    boolean first = true;
    for (VersionStats v : model.versions()) {
      json.append(first ? "" : ",").append("{\"version\":").append(quote(v.version()))
          .append(",\"role\":").append(quote(v.role().name()))
          .append(",\"loadedAt\":").append(quote(v.loadedAt().toString()))
          .append(",\"loadMs\":").append(millis(v.loadDuration()))
          .append(",\"warmUpMs\":").append(millis(v.warmUpDuration()))
          .append(",\"totalUses\":").append(v.totalUses())
          .append(",\"inUse\":").append(v.inUse())
          .append(",\"lastUsed\":").append(v.lastUsed() == null ? "null" : quote(v.lastUsed().toString()))
          .append('}');
      first = false;
    }
    return json.append("]}").toString();
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

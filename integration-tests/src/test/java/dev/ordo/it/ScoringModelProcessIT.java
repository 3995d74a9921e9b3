package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's ONNX scoring model as a real process: 8 clients predict continuously over loopback
 * while the test swaps v1 -> v2 -> v1 -> broken -> v2. No request fails, every answer's y is the
 * formula of the version it names, the JVM survives (no ONNX Runtime session is closed while a
 * request runs on it), and the broken swap leaves the previous version serving.
 */
class ScoringModelProcessIT {
  private static final int CLIENTS = 8;
  /** Requests the clients make in each phase, between two swaps: bounded by count, not by time. */
  private static final long PER_PHASE = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @Timeout(180)
  void swapsUnderLoadWithoutAFailedRequest() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0")) {
      URI api = URI.create("http://127.0.0.1:" + demo.port());
      URI health = URI.create("http://127.0.0.1:" + demo.healthPort());
      demo.awaitLine("Press Ctrl-C", 120);
      String shown = demo.awaitLine("Scoring model: swapped v1 -> v2 -> v1 under load", 1);
      assertTrue(shown.contains(" 0 failed, 0 wrong"), shown);

      HttpResponse<String> first = get(api.resolve("/predict?x=5"));
      assertEquals(200, first.statusCode(), first.body());
      assertEquals("{\"version\":\"v1\",\"y\":11.0}", first.body());
      HttpResponse<String> ready = get(health.resolve("/health/ready"));
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"name\":\"dev.ordo.demo.ScoringModel.resource.scoring-model\""), ready.body());
      assertTrue(ready.body().contains("\"version\":\"v1\""), ready.body());

      AtomicBoolean stop = new AtomicBoolean();
      LongAdder requests = new LongAdder();
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      Map<String, LongAdder> byVersion = new ConcurrentHashMap<>();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            int x = (client * 7919 + i) % 200 - 100;
            try {
              HttpResponse<String> r = get(api.resolve("/predict?x=" + x));
              if (r.statusCode() != 200) {
                failures.add("x=" + x + ": " + r.statusCode() + " " + r.body());
                continue;
              }
              JsonNode answer = JSON.readTree(r.body());
              String version = answer.get("version").asText();
              float y = (float) answer.get("y").asDouble();
              float expected = version.equals("v1") ? 2f * x + 1 : version.equals("v2") ? 3f * x : Float.NaN;
              if (y != expected) {
                failures.add("x=" + x + ": " + r.body() + " is not the formula of " + version);
              }
              byVersion.computeIfAbsent(version, v -> new LongAdder()).increment();
            } catch (Exception e) {
              failures.add("x=" + x + ": " + e);
            } finally {
              requests.increment();
            }
          }
        }, "predict-client-" + c);
        t.start();
        clients.add(t);
      }
      try {
        awaitRequests(requests, PER_PHASE);
        assertSwap(api, "v2", 200, "v2");
        awaitRequests(requests, requests.sum() + PER_PHASE);
        assertSwap(api, "v1", 200, "v1");
        awaitRequests(requests, requests.sum() + PER_PHASE);
        HttpResponse<String> broken = post(api.resolve("/admin/model?version=broken"));
        assertEquals(409, broken.statusCode(), broken.body());
        JsonNode refused = JSON.readTree(broken.body());
        assertEquals("load-failed", refused.get("reason").asText(), broken.body());
        assertEquals("v1", refused.get("current").asText(), broken.body());
        assertTrue(refused.get("error").asText().contains("v1 keeps serving"), broken.body());
        long afterBroken = requests.sum();
        awaitRequests(requests, afterBroken + PER_PHASE);
        assertEquals("{\"version\":\"v1\",\"y\":11.0}", get(api.resolve("/predict?x=5")).body(),
            "the broken swap left v1 serving");
        assertSwap(api, "v2", 200, "v2");
        awaitRequests(requests, requests.sum() + PER_PHASE);
      } finally {
        stop.set(true);
        for (Thread t : clients) {
          t.join();
        }
      }
      assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " failed");
      assertTrue(byVersion.get("v1").sum() > 0 && byVersion.get("v2").sum() > 0, byVersion.toString());

      HttpResponse<String> listed = get(api.resolve("/admin/model"));
      assertEquals(200, listed.statusCode(), listed.body());
      JsonNode model = JSON.readTree(listed.body());
      assertEquals("v2", model.get("current").asText(), listed.body());
      assertTrue(model.get("lastSwapError").isNull(), listed.body());
      Set<String> loaded = new java.util.HashSet<>();
      long uses = 0;
      for (JsonNode v : model.get("versions")) {
        loaded.add(v.get("version").asText());
        uses += v.get("totalUses").asLong();
        assertEquals(0, v.get("inUse").asLong(), listed.body());
        assertTrue(v.hasNonNull("loadedAt") && v.hasNonNull("lastUsed"), listed.body());
      }
      assertEquals(Set.of("v1", "v2"), loaded, listed.body());
      assertTrue(uses > 0, listed.body());
      assertTrue(get(health.resolve("/health/ready")).body().contains("\"version\":\"v2\""));

      demo.sigterm();
      assertEquals(0, demo.awaitExit(60), demo.output());
      assertTrue(demo.output().contains("exit status 0"), demo.output());
    }
  }

  private void assertSwap(URI api, String version, int status, String current) throws Exception {
    HttpResponse<String> r = post(api.resolve("/admin/model?version=" + version));
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(current, JSON.readTree(r.body()).get("version").asText(), r.body());
  }

  private static void awaitRequests(LongAdder requests, long atLeast) throws InterruptedException {
    while (requests.sum() < atLeast) {
      Thread.sleep(5);
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.ordo.registry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Consul through its agent HTTP API (JDK {@link HttpClient}, no client library):
 * <ul>
 *   <li>{@code PUT /v1/agent/service/register} with the service, a TTL check
 *       ({@code service:<id>:ttl}, {@code DeregisterCriticalServiceAfter} set, so that the agent
 *       removes an instance whose process died) and, when there is a health URL, an HTTP check of
 *       Ordo's readiness probe ({@code service:<id>:ready});
 *   <li>{@code PUT /v1/agent/check/pass/service:<id>:ttl} every third of the TTL;
 *   <li>{@code PUT /v1/agent/service/maintenance/<id>?enable=true&reason=...} when draining begins;
 *   <li>{@code PUT /v1/agent/service/deregister/<id>} in the stop phase.
 * </ul>
 * {@code GET /v1/agent/self} checks that the agent answers. An ACL token goes in the
 * {@code X-Consul-Token} header.
 */
final class ConsulBackend implements RegistryBackend {
  private static final System.Logger LOG = System.getLogger(ServiceRegistration.class.getName());

  private final URI agent;
  private final String token;
  private final Duration requestTimeout;
  private final Duration deregisterCriticalAfter;
  private final HttpClient http;

  // Set and read under ServiceRegistration's monitor (see RegistryBackend).
  private Duration ttl;
  private ScheduledExecutorService renewals;

  /** Written by the renewal thread, read by health checks: volatile. */
  private volatile String problem;

  ConsulBackend(URI agent, String token, Duration requestTimeout, Duration deregisterCriticalAfter) {
    this.agent = agent;
    this.token = token;
    this.requestTimeout = requestTimeout;
    this.deregisterCriticalAfter = deregisterCriticalAfter;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  static String ttlCheckId(ServiceInstance instance) {
    return "service:" + instance.id() + ":ttl";
  }

  static String readyCheckId(ServiceInstance instance) {
    return "service:" + instance.id() + ":ready";
  }

  /** A Go duration string, as Consul reads them: whole seconds, or minutes when they are whole. */
  static String seconds(Duration d) {
    long s = Math.max(1, (d.toMillis() + 999) / 1000);
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  /** One path segment: RFC 3986's unreserved characters, ':' and '@' as they are, the rest percent-encoded. */
  static String path(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private String send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(agent.resolve(path)).timeout(requestTimeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("X-Consul-Token", token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("Consul agent " + agent + " answered " + method + " " + path + " with "
          + response.statusCode() + ": " + response.body().strip());
    }
    return response.body();
  }

  @Override
  public void connect(ServiceInstance instance, Duration ttl) throws Exception {
    this.ttl = ttl;
    send("GET", "/v1/agent/self", null);
  }

  /** The body of {@code PUT /v1/agent/service/register}. */
  String registration(ServiceInstance instance) {
    StringBuilder s = new StringBuilder(512).append('{');
    Json.field(s, "ID", instance.id()).append(',');
    Json.field(s, "Name", instance.name()).append(',');
    Json.field(s, "Address", instance.address()).append(',');
    s.append("\"Port\":").append(instance.port()).append(',');
    s.append("\"Meta\":");
    Json.object(s, instance.metadata()).append(',');
    s.append("\"Checks\":[{");
    Json.field(s, "CheckID", ttlCheckId(instance)).append(',');
    Json.field(s, "Name", "Ordo registration of " + instance.id()).append(',');
    Json.field(s, "TTL", seconds(ttl)).append(',');
    Json.field(s, "DeregisterCriticalServiceAfter", seconds(deregisterCriticalAfter)).append('}');
    if (instance.healthUrl() != null) {
      s.append(",{");
      Json.field(s, "CheckID", readyCheckId(instance)).append(',');
      Json.field(s, "Name", "Ordo readiness of " + instance.id()).append(',');
      Json.field(s, "HTTP", instance.healthUrl().toString()).append(',');
      Json.field(s, "Method", "GET").append(',');
      Json.field(s, "Interval", seconds(ttl.dividedBy(3))).append(',');
      Json.field(s, "Timeout", seconds(requestTimeout)).append('}');
    }
    return s.append("]}").toString();
  }

  @Override
  public void register(ServiceInstance instance) throws Exception {
    send("PUT", "/v1/agent/service/register", registration(instance));
    pass(instance);
    problem = null;
    if (renewals == null) {
      // One daemon thread per registration, for the TTL passes. It is started here (a startup hook's
      // or the listener's thread), stopped by deregister() or close(); it only sends the pass and
      // records the outcome in the volatile problem, so it never blocks anyone else, and a failed
      // pass only makes the component's health check report it.
      renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ordo-registry-consul-ttl");
        t.setDaemon(true);
        return t;
      });
      long every = Math.max(1, ttl.toMillis() / 3);
      renewals.scheduleWithFixedDelay(() -> {
        try {
          pass(instance);
          problem = null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          if (problem == null) {
            LOG.log(Level.WARNING, "Could not renew the Consul TTL check of " + instance.id() + ": " + e);
          }
          problem = "the TTL check could not be renewed: " + e;
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void pass(ServiceInstance instance) throws IOException, InterruptedException {
    send("PUT", "/v1/agent/check/pass/" + path(ttlCheckId(instance)), null);
  }

  @Override
  public void markOutOfService(ServiceInstance instance) throws Exception {
    send("PUT", "/v1/agent/service/maintenance/" + path(instance.id()) + "?enable=true&reason="
        + URLEncoder.encode("Ordo: the application is draining", StandardCharsets.UTF_8), null);
  }

  @Override
  public void deregister(ServiceInstance instance) throws Exception {
    stopRenewals();
    send("PUT", "/v1/agent/service/deregister/" + path(instance.id()), null);
  }

  private void stopRenewals() {
    if (renewals != null) {
      renewals.shutdownNow();
      renewals = null;
    }
  }

  @Override
  public String problem() {
    return problem;
  }

  @Override
  public String describe() {
    return "Consul agent at " + agent;
  }

  @Override
  public void close() {
    stopRenewals();
  }
}

package dev.ordo.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A local stand-in for a Consul agent: it checks every request against Consul's documented agent
 * API (https://developer.hashicorp.com/consul/api-docs/agent/service and .../agent/check): the
 * method, the path, the query parameters and the JSON fields with their types, and answers 200 as
 * the agent does, or 400 naming what is wrong (which the test then sees as a failure). It is not
 * Consul: no Consul server could be installed where these tests run.
 */
final class ConsulAgentStub implements AutoCloseable {
  /** One request the stub accepted. */
  record Request(String method, String path, Map<String, String> query, JsonNode body, String token) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Go's time.ParseDuration form, as Consul reads TTL, Interval, Timeout and DeregisterCriticalServiceAfter. */
  private static final Pattern GO_DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");
  private static final Set<String> SERVICE_FIELDS = Set.of("ID", "Name", "Tags", "Address", "TaggedAddresses", "Meta",
      "Port", "Kind", "Proxy", "Connect", "Check", "Checks", "EnableTagOverride", "Weights", "Namespace", "Partition");
  private static final Set<String> CHECK_FIELDS = Set.of("Name", "CheckID", "ID", "Interval", "Notes",
      "DeregisterCriticalServiceAfter", "Args", "AliasNode", "AliasService", "DockerContainerID", "GRPC", "GRPCUseTLS",
      "H2PING", "H2PingUseTLS", "HTTP", "Method", "Body", "DisableRedirects", "Header", "Timeout", "OutputMaxSize",
      "TLSServerName", "TLSSkipVerify", "TCP", "TCPUseTLS", "UDP", "OSService", "TTL", "ServiceID", "Status",
      "SuccessBeforePassing", "FailuresBeforeWarning", "FailuresBeforeCritical");

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private volatile boolean up = true;

  ConsulAgentStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** While down, every request is answered 500, as by an agent that lost its servers. */
  void up(boolean up) {
    this.up = up;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath(); // decoded, as the agent's router sees it
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String token = exchange.getRequestHeaders().getFirst("X-Consul-Token");
    int status = 200;
    String answer = "";
    if (!up) {
      status = 500;
      answer = "No cluster leader";
    } else {
      String problem;
      JsonNode body = null;
      try {
        body = raw.length == 0 ? null : JSON.readTree(raw);
        problem = check(method, path, query, body);
      } catch (IOException e) {
        problem = "Request decode failed: " + e.getMessage();
      }
      if (problem != null) {
        status = 400;
        answer = problem;
        synchronized (this) {
          violations.add(method + " " + path + ": " + problem);
        }
      } else {
        synchronized (this) {
          requests.add(new Request(method, path, query, body, token));
        }
        if (path.equals("/v1/agent/self")) {
          answer = "{\"Config\":{\"Datacenter\":\"dc1\",\"NodeName\":\"stub\"},\"Member\":{\"Name\":\"stub\"}}";
        }
      }
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        q.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  /** What is wrong with the request by Consul's documentation, or null. */
  private static String check(String method, String path, Map<String, String> query, JsonNode body) {
    if (path.equals("/v1/agent/self")) {
      return method.equals("GET") ? null : "GET /v1/agent/self only";
    }
    if (path.equals("/v1/agent/service/register")) {
      if (!method.equals("PUT")) {
        return "register is PUT";
      }
      return checkRegistration(body);
    }
    if (path.startsWith("/v1/agent/check/pass/")) {
      return method.equals("PUT") && path.length() > "/v1/agent/check/pass/".length() && body == null
          ? null : "PUT /v1/agent/check/pass/:check_id, without a body";
    }
    if (path.startsWith("/v1/agent/service/maintenance/")) {
      if (!method.equals("PUT") || path.length() == "/v1/agent/service/maintenance/".length()) {
        return "PUT /v1/agent/service/maintenance/:service_id";
      }
      String enable = query.get("enable");
      if (!"true".equals(enable) && !"false".equals(enable)) {
        return "maintenance needs the query parameter enable=true|false";
      }
      return null;
    }
    if (path.startsWith("/v1/agent/service/deregister/")) {
      return method.equals("PUT") && path.length() > "/v1/agent/service/deregister/".length()
          ? null : "PUT /v1/agent/service/deregister/:service_id";
    }
    return "no such endpoint: " + method + " " + path;
  }

  private static String checkRegistration(JsonNode body) {
    if (body == null || !body.isObject()) {
      return "register needs a JSON object";
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (!SERVICE_FIELDS.contains(n)) {
        return "unknown service field " + n;
      }
    }
    if (!body.path("Name").isTextual() || body.get("Name").asText().isEmpty()) {
      return "Name is required (a string)";
    }
    for (String text : List.of("ID", "Address")) {
      if (body.has(text) && !body.get(text).isTextual()) {
        return text + " must be a string";
      }
    }
    if (body.has("Port") && !body.get("Port").isInt()) {
      return "Port must be an integer";
    }
    if (body.has("Meta")) {
      JsonNode meta = body.get("Meta");
      if (!meta.isObject()) {
        return "Meta must be an object";
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
        if (!it.next().getValue().isTextual()) {
          return "Meta values must be strings";
        }
      }
    }
    List<JsonNode> checks = new ArrayList<>();
    if (body.has("Check")) {
      checks.add(body.get("Check"));
    }
    if (body.has("Checks")) {
      if (!body.get("Checks").isArray()) {
        return "Checks must be an array";
      }
      body.get("Checks").forEach(checks::add);
    }
    for (JsonNode c : checks) {
      for (Iterator<String> names = c.fieldNames(); names.hasNext(); ) {
        String n = names.next();
        if (!CHECK_FIELDS.contains(n)) {
          return "unknown check field " + n;
        }
      }
      for (String d : List.of("TTL", "Interval", "Timeout", "DeregisterCriticalServiceAfter")) {
        if (c.has(d) && !(c.get(d).isTextual() && GO_DURATION.matcher(c.get(d).asText()).matches())) {
          return d + " must be a Go duration string such as 10s";
        }
      }
      boolean ttl = c.has("TTL");
      boolean http = c.has("HTTP");
      if (ttl == http) {
        return "a check here is either a TTL check or an HTTP check";
      }
      if (http && !c.has("Interval")) {
        return "an HTTP check needs an Interval";
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

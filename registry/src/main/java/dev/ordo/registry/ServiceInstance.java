package dev.ordo.registry;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ServiceRegistration} registers: one instance of a service.
 *
 * @param name the service's name, shared by its instances ({@code orders})
 * @param id this instance's id, unique among the service's instances ({@code orders-web-1-4711})
 * @param address the address clients reach it at
 * @param port the port clients reach it at
 * @param healthUrl its readiness probe, Ordo's {@code /health/ready}, or {@code null} when the
 *     application serves no probes
 * @param metadata free-form key/value pairs (version, zone, ...)
 * @since 0.1
 */
public record ServiceInstance(String name, String id, String address, int port, URI healthUrl, Map<String, String> metadata) {
  /** Checks the values and copies the metadata. */
  public ServiceInstance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(metadata, "metadata");
    metadata = Map.copyOf(metadata);
  }

  /** The instance as one JSON object: name, id, address, port, healthCheckUrl, metadata and {@code status}. */
  String toJson(String status) {
    StringBuilder s = new StringBuilder(256).append('{');
    Json.field(s, "name", name).append(',');
    Json.field(s, "id", id).append(',');
    Json.field(s, "address", address).append(',');
    s.append("\"port\":").append(port).append(',');
    if (healthUrl != null) {
      Json.field(s, "healthCheckUrl", healthUrl.toString()).append(',');
    }
    s.append("\"metadata\":");
    Json.object(s, metadata).append(',');
    Json.field(s, "status", status);
    return s.append('}').toString();
  }
}

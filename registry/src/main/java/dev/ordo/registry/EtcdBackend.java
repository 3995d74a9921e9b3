package dev.ordo.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * etcd through jetcd: a lease of the TTL, kept alive by jetcd's keep-alive stream, and the key
 * {@code <prefix>/<service name>/<instance id>} attached to it, whose value is the instance as JSON
 * with {@code "status":"UP"} or {@code "OUT_OF_SERVICE"}. When the process dies, the keep-alives
 * stop and etcd deletes the key when the lease expires, one TTL later.
 */
final class EtcdBackend implements RegistryBackend {
  private final URI endpoint;
  private final String prefix;
  private final Duration requestTimeout;

  // Set and read under ServiceRegistration's monitor (see RegistryBackend).
  private Client client;
  private long leaseId;
  private CloseableClient keepAlive;
  private ByteSequence key;

  /** Written by jetcd's keep-alive callbacks (its own threads), read by health checks: volatile. */
  private volatile String problem;

  EtcdBackend(URI endpoint, String prefix, Duration requestTimeout) {
    this.endpoint = endpoint;
    this.prefix = prefix;
    this.requestTimeout = requestTimeout;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  String key(ServiceInstance instance) {
    return prefix + "/" + instance.name() + "/" + instance.id();
  }

  @Override
  public void connect(ServiceInstance instance, Duration ttl) throws Exception {
    if (client == null) {
      client = Client.builder().endpoints(endpoint).connectTimeout(requestTimeout).retryMaxDuration(requestTimeout)
          .build();
    }
    if (keepAlive != null) { // a retry, or a restart after the lease was lost
      keepAlive.close();
      keepAlive = null;
    }
    long ttlSeconds = Math.max(1, ttl.toSeconds());
    try {
      leaseId = client.getLeaseClient().grant(ttlSeconds, requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).getID();
    } catch (Exception e) {
      // A fresh client for the next attempt: gRPC's reconnect backoff would otherwise keep this one
      // waiting for up to two minutes after etcd is back.
      client.close();
      client = null;
      throw e;
    }
    problem = null;
    long lease = leaseId;
    // jetcd's own threads call the observer; it only records what happened (no lock, no I/O).
    keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<LeaseKeepAliveResponse>() {
      @Override
      public void onNext(LeaseKeepAliveResponse response) {
        if (response.getTTL() <= 0) {
          problem = "the lease " + Long.toHexString(lease) + " expired";
        }
      }

      @Override
      public void onError(Throwable t) {
        problem = "the lease " + Long.toHexString(lease) + " could not be kept alive: " + t;
      }

      @Override
      public void onCompleted() {
        problem = "the lease " + Long.toHexString(lease) + " ended";
      }
    });
    key = bytes(key(instance));
  }

  private void put(ServiceInstance instance, String status) throws Exception {
    client.getKVClient().put(key, bytes(instance.toJson(status)), PutOption.builder().withLeaseId(leaseId).build())
        .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void register(ServiceInstance instance) throws Exception {
    put(instance, "UP");
  }

  @Override
  public void markOutOfService(ServiceInstance instance) throws Exception {
    put(instance, "OUT_OF_SERVICE");
  }

  @Override
  public void deregister(ServiceInstance instance) throws Exception {
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
    try {
      client.getKVClient().delete(key).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      // Revoking the lease deletes every key attached to it, should the delete have failed.
      client.getLeaseClient().revoke(leaseId).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public String problem() {
    return problem;
  }

  @Override
  public String describe() {
    return "etcd at " + endpoint;
  }

  @Override
  public void close() {
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
    if (client != null) {
      client.close();
      client = null;
    }
  }
}

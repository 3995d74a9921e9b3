package dev.ordo.registry;

import java.time.Duration;

/**
 * One registry's protocol, driven by {@link ServiceRegistration}, which calls it under its own
 * monitor, one call at a time (so implementations need no locking for these calls), from the
 * threads that run the component's hooks and from its listener thread. Every call is bounded by
 * the request timeout and throws when the registry did not do what was asked.
 */
interface RegistryBackend extends AutoCloseable {
  /**
   * Reaches the registry and prepares a registration that is kept alive from now on (etcd: a lease
   * with its keep-alive; Consul: the agent answers). Throws when the registry cannot be reached.
   */
  void connect(ServiceInstance instance, Duration ttl) throws Exception;

  /** Registers the instance as in service, and keeps it alive (TTL or lease renewal). */
  void register(ServiceInstance instance) throws Exception;

  /** Takes the registered instance out of service (it stays registered, and alive). */
  void markOutOfService(ServiceInstance instance) throws Exception;

  /** Removes the registration, and stops keeping it alive. */
  void deregister(ServiceInstance instance) throws Exception;

  /** Null while the registration is kept alive; otherwise why not (the lease was lost, renewals fail). */
  String problem();

  /** Where the registry is, for messages. */
  String describe();

  /** Releases connections and threads; never throws. */
  @Override
  void close();
}

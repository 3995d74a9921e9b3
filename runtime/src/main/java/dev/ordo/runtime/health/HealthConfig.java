package dev.ordo.runtime.health;

import java.time.Duration;

/**
 * The resolved health settings.
 *
 * @param port the probes' port, {@code null} when they are not served
 * @param portSource where the port came from, for error messages
 */
record HealthConfig(
    Integer port,
    String host,
    boolean details,
    Duration interval,
    Duration timeout,
    int failureThreshold,
    int successThreshold,
    String portSource) {}

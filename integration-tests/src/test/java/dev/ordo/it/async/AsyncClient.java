package dev.ordo.it.async;

import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.Health;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Hooks that complete asynchronously, and the three kinds of health check. */
public class AsyncClient {
  public final CompletableFuture<Void> connected = new CompletableFuture<>();
  public volatile boolean closed;
  public volatile boolean healthy = true;

  @OnStartup(timeout = "10s")
  CompletionStage<Void> connect() {
    return connected;
  }

  @OnShutdown
  CompletableFuture<Void> close() {
    return CompletableFuture.runAsync(() -> closed = true);
  }

  @HealthCheck
  boolean reachable() {
    return healthy;
  }

  @HealthCheck(name = "pool", timeout = "250ms")
  Health pool() {
    return Health.up().withDetail("active", 3);
  }

  @HealthCheck
  void verify() {
    if (!healthy) {
      throw new IllegalStateException("unreachable");
    }
  }
}

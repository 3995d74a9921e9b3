package dev.ordo.demo;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import jakarta.inject.Named;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Connects to the payment provider, asynchronously. Critical: with {@code --fail-critical} its
 * startup fails, and everything that had started is rolled back.
 */
@Critical
public final class PaymentGateway {
  private final boolean failAtStartup;
  private volatile boolean connected;

  public PaymentGateway(@Named("fail-critical") boolean failAtStartup) {
    this.failAtStartup = failAtStartup;
  }

  @OnStartup(timeout = "5s")
  CompletionStage<Void> connect() {
    // Simulates a handshake with a remote provider without holding a lifecycle thread.
    return CompletableFuture.runAsync(() -> {
      if (failAtStartup) {
        throw new IllegalStateException("payment provider refused the credentials (--fail-critical)");
      }
      connected = true;
    }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
  }

  @OnShutdown
  void disconnect() {
    connected = false;
  }

  public boolean connected() {
    return connected;
  }
}

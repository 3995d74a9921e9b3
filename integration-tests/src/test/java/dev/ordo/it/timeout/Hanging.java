package dev.ordo.it.timeout;

import dev.ordo.OnStartup;
import java.util.concurrent.CountDownLatch;

public class Hanging {
  private final CountDownLatch release;

  public Hanging(CountDownLatch release) {
    this.release = release;
  }

  @OnStartup(timeout = "200ms")
  void connect() throws InterruptedException {
    release.await();
  }
}

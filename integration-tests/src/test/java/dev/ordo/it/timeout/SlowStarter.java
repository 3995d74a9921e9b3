package dev.ordo.it.timeout;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public class SlowStarter {
  private final Journal journal;
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  public SlowStarter(Journal journal) {
    this.journal = journal;
  }

  public CountDownLatch entered() {
    return entered;
  }

  public CountDownLatch release() {
    return release;
  }

  @OnStartup
  void start() throws InterruptedException {
    entered.countDown();
    release.await(30, TimeUnit.SECONDS);
    journal.add("start SlowStarter");
  }

  @OnShutdown
  void stop() {
    journal.add("stop SlowStarter");
  }
}

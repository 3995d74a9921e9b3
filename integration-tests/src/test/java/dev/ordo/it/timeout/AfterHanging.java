package dev.ordo.it.timeout;

import dev.ordo.DependsOn;
import dev.ordo.OnStartup;

@DependsOn(Hanging.class)
public class AfterHanging {
  @OnStartup
  void start() {}
}

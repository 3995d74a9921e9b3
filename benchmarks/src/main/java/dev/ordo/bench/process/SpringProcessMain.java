package dev.ordo.bench.process;

import dev.ordo.bench.flat.spring.SpringFlat;
import org.springframework.context.support.GenericApplicationContext;

/** Scenario 5 for Spring: a GenericApplicationContext of N SmartLifecycle beans of distinct classes. */
public final class SpringProcessMain {
  private SpringProcessMain() {}

  public static void main(String[] args) {
    GenericApplicationContext ctx = new GenericApplicationContext();
    for (Class<?> c : SpringFlat.classes(Integer.parseInt(args[0]))) {
      ctx.registerBean(c);
    }
    ctx.refresh(); // creates the beans and starts them (autoStartup)
    System.out.println("RUNNING");
    System.out.flush();
    ctx.close();
  }
}

package dev.ordo.it.stress;

import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the stress components do, set by a test before it starts the application: each hook and
 * check looks up its behaviour here by the component's simple name, and the journal records each
 * hook as it is entered ("start Base", "stop Base").
 */
public final class Script {
  /** A hook body. */
  @FunctionalInterface
  public interface Hook {
    void run(LifecycleContext context) throws Exception;
  }

  /** A health check body. */
  @FunctionalInterface
  public interface Check {
    Health run(LifecycleContext context) throws Exception;
  }

  public final List<String> journal = new CopyOnWriteArrayList<>();
  private final Map<String, Hook> starts = new ConcurrentHashMap<>();
  private final Map<String, Hook> stops = new ConcurrentHashMap<>();
  private volatile Check check = c -> Health.up();

  public Script onStart(String component, Hook hook) {
    starts.put(component, hook);
    return this;
  }

  public Script onStop(String component, Hook hook) {
    stops.put(component, hook);
    return this;
  }

  public Script check(Check check) {
    this.check = check;
    return this;
  }

  public long count(String entry) {
    return journal.stream().filter(entry::equals).count();
  }

  public int indexOf(String entry) {
    int i = journal.indexOf(entry);
    if (i < 0) {
      throw new AssertionError(entry + " missing from " + journal);
    }
    return i;
  }

  void start(String component, LifecycleContext context) throws Exception {
    journal.add("start " + component);
    Hook hook = starts.get(component);
    if (hook != null) {
      hook.run(context);
    }
    journal.add("started " + component);
  }

  void stop(String component, LifecycleContext context) throws Exception {
    journal.add("stop " + component);
    Hook hook = stops.get(component);
    if (hook != null) {
      hook.run(context);
    }
  }

  Health check(LifecycleContext context) throws Exception {
    return check.run(context);
  }
}

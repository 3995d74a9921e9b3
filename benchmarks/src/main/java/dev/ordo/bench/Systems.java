package dev.ordo.bench;

import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.ordo.bench.flat.floor.FloorCallsStart;
import dev.ordo.bench.flat.floor.FloorCallsStop;
import dev.ordo.bench.flat.floor.FloorFlat;
import dev.ordo.bench.flat.guava.GuavaFlat;
import dev.ordo.bench.flat.spring.SpringFlat;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import io.avaje.inject.BeanScope;
import io.avaje.inject.spi.AvajeModule;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import org.springframework.context.support.GenericApplicationContext;

/** Each system's way to wire, start and stop N independent components of distinct classes. */
public final class Systems {
  private Systems() {}

  /** A wired application: start it, then stop it. */
  public interface Instance {
    void start() throws Exception;

    void stop() throws Exception;
  }

  /** Wires a fresh application (creating its components) each time it is called. */
  public interface Wiring {
    Instance wire() throws Exception;
  }

  public static final String[] FLAT = {
    "ordo", "ordo-registry", "spring", "avaje", "guava", "floor-calls", "floor-executor"
  };

  public static Wiring flat(String system, int n) {
    switch (system) {
      case "ordo": {
        OrdoUnits units = new OrdoUnits("flat", n);
        return () -> {
          LifecycleController<?>[] controllers = units.controllers(units.create(n));
          Ordo.Builder b = Ordo.builder();
          for (LifecycleController<?> c : controllers) {
            b.controller(c);
          }
          return ordo(b.build());
        };
      }
      case "ordo-registry": {
        OrdoUnits units = new OrdoUnits("flat", n);
        return () -> {
          Object[] components = units.create(n);
          Ordo.Builder b = Ordo.builder();
          for (Object c : components) {
            b.component(c);
          }
          return ordo(b.build());
        };
      }
      case "spring": {
        Class<?>[] classes = SpringFlat.classes(n);
        return () -> {
          SpringAutoStartup.enabled = false;
          GenericApplicationContext ctx = new GenericApplicationContext();
          for (Class<?> c : classes) {
            ctx.registerBean(c);
          }
          ctx.refresh(); // creates the beans; start() below starts them
          return new Instance() {
            @Override
            public void start() {
              ctx.start();
            }

            @Override
            public void stop() {
              ctx.close();
            }
          };
        };
      }
      case "avaje": {
        MethodHandle modules = avajeModules(n);
        // avaje creates and starts (@PostConstruct) in build(): start() does both, wire() nothing.
        return () -> new Instance() {
          private BeanScope scope;

          @Override
          public void start() {
            scope = BeanScope.builder().modules(newModules(modules)).build();
          }

          @Override
          public void stop() {
            scope.close();
          }
        };
      }
      case "guava":
        return () -> {
          Service[] services = GuavaFlat.create(n);
          ServiceManager manager = new ServiceManager(Arrays.asList(services));
          return new Instance() {
            @Override
            public void start() {
              manager.startAsync().awaitHealthy();
            }

            @Override
            public void stop() {
              manager.stopAsync().awaitStopped();
            }
          };
        };
      case "floor-calls":
        return () -> {
          Hook[] hooks = FloorFlat.create(n);
          return new Instance() {
            @Override
            public void start() {
              FloorCallsStart.start(hooks);
            }

            @Override
            public void stop() {
              FloorCallsStop.stop(hooks);
            }
          };
        };
      case "floor-executor":
        return () -> {
          FloorExecutor e = new FloorExecutor(FloorFlat.create(n), FloorExecutor.independent(n), 2);
          return new Instance() {
            @Override
            public void start() throws InterruptedException {
              e.start();
            }

            @Override
            public void stop() throws InterruptedException {
              e.stop();
            }
          };
        };
      default:
        throw new IllegalArgumentException("no system " + system);
    }
  }

  /** Whether a flat set of n exists in this build (avaje has one module per size). */
  public static boolean available(String system, int n) {
    if (n > dev.ordo.bench.gen.Sizes.COMPONENTS) {
      return false;
    }
    if (system.equals("avaje")) {
      return Arrays.stream(dev.ordo.bench.gen.Sizes.AVAJE).anyMatch(s -> s == n);
    }
    return true;
  }

  static Instance ordo(Ordo app) {
    return new Instance() {
      @Override
      public void start() {
        app.start();
      }

      @Override
      public void stop() {
        ShutdownReport report = app.stop();
        if (!report.clean()) {
          throw new IllegalStateException("unclean shutdown: " + report);
        }
      }
    };
  }

  static MethodHandle avajeModule(String className, int n) {
    try {
      return MethodHandles.publicLookup().findConstructor(Class.forName(className), MethodType.methodType(void.class))
          .asType(MethodType.methodType(AvajeModule.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("avaje module for " + n + " not built: " + className, e);
    }
  }

  /** The generated {@code AvajeModules.create()} of the flat set of n beans. */
  static MethodHandle avajeModules(int n) {
    try {
      return MethodHandles.publicLookup().findStatic(Class.forName("dev.ordo.bench.flat.avaje" + n + ".AvajeModules"),
          "create", MethodType.methodType(AvajeModule[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("avaje modules for " + n + " not built", e);
    }
  }

  static AvajeModule[] newModules(MethodHandle create) {
    try {
      return (AvajeModule[]) create.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  static AvajeModule newModule(MethodHandle constructor) {
    try {
      return (AvajeModule) constructor.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}

package dev.ordo.bench;

import dev.ordo.bench.gen.Sizes;
import dev.ordo.runtime.LifecycleController;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The Ordo component sets, compiled in units (one registry each; see GenerateComponents.UNIT) and
 * so found by name: {@code OrdoFlat_Unit00}, {@code OrdoFlat_Unit01}, ... The handles are looked
 * up once, outside any timing; calling them is a direct call.
 */
public final class OrdoUnits {
  private final List<MethodHandle> create = new ArrayList<>();
  private final List<MethodHandle> controllers = new ArrayList<>();

  /** {@code set}: flat, chain or dag; {@code n}: how many components will be asked for at most. */
  public OrdoUnits(String set, int n) {
    String base = switch (set) {
      case "flat" -> "dev.ordo.bench.flat.ordo.OrdoFlat";
      case "chain" -> "dev.ordo.bench.chain.ordo.OrdoChain";
      case "dag" -> "dev.ordo.bench.dag.ordo.OrdoDag";
      default -> throw new IllegalArgumentException(set);
    };
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    for (int unit = 0; unit * Sizes.UNIT < n; unit++) {
      try {
        Class<?> c = Class.forName(String.format("%s_Unit%02d", base, unit));
        create.add(lookup.findStatic(c, "create", MethodType.methodType(void.class, Object[].class, int.class)));
        controllers.add(lookup.findStatic(c, "controllers",
            MethodType.methodType(void.class, Object[].class, LifecycleController[].class, int.class)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Ordo unit " + unit + " of " + set + " not on the class path"
            + " (built with -Dbench.components >= " + n + "?)", e);
      }
    }
  }

  /** New instances of the first n components. */
  public Object[] create(int n) {
    Object[] out = new Object[n];
    try {
      for (MethodHandle h : create) {
        h.invokeExact(out, n);
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    return out;
  }

  /** Their generated controllers: {@code Foo_Lifecycle.of(foo)} for each. */
  public LifecycleController<?>[] controllers(Object[] components) {
    LifecycleController<?>[] out = new LifecycleController<?>[components.length];
    try {
      for (MethodHandle h : controllers) {
        h.invokeExact(components, out, components.length);
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    return out;
  }
}

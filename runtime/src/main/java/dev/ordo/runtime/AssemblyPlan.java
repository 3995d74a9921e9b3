package dev.ordo.runtime;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compile-time plan of an {@code @OrdoApplication}: its components in topological order,
 * whether each is critical, its instance key, and the edges between them as indices. The
 * annotation processor writes one as a static constant of the generated {@code Ordo<Name>} class,
 * which passes it to {@link Ordo.Builder#assemble}; so building the application does no graph
 * analysis, no registry lookup and no reflection.
 *
 * <p>For generated code: not meant to be written by hand. The arrays are checked and copied once,
 * when the plan is made.
 *
 * @since 0.1
 */
public final class AssemblyPlan {
  private static final int[] NONE = new int[0];

  private final String application;
  private final Class<?>[] types;
  private final String[] keys;
  private final boolean[] critical;
  private final int[][] hard;
  private final int[][] soft;

  /**
   * A plan of {@code types.length} components; entry {@code i} of every array describes component
   * {@code i}.
   *
   * @param application the canonical name of the {@code @OrdoApplication} interface
   *     ({@code com.acme.Shop})
   * @param types each component's class
   * @param keys each component's instance key ({@code "orders-db"}) when the application holds
   *     several instances of its class, else {@code null}
   * @param critical whether each component is {@code @Critical}
   * @param hard the indices of each component's hard dependencies, each below the component's
   *     own ({@code null}: none)
   * @param soft the indices of each component's soft ({@code optional = true}) dependencies, each
   *     below the component's own ({@code null}: none)
   * @throws IllegalArgumentException if the arrays' lengths differ, an index is out of range or
   *     not below its component's (the plan is not in topological order), a key is not valid
   *     ({@link ComponentDescriptor#withKey}), or a class appears twice with the same key
   */
  public AssemblyPlan(String application, Class<?>[] types, String[] keys, boolean[] critical, int[][] hard,
      int[][] soft) {
    this.application = Objects.requireNonNull(application, "application");
    int n = types.length;
    if (keys.length != n || critical.length != n || hard.length != n || soft.length != n) {
      throw new IllegalArgumentException("The plan of " + application + " has arrays of different lengths: "
          + n + " types, " + keys.length + " keys, " + critical.length + " critical flags, " + hard.length
          + " hard and " + soft.length + " soft dependency rows");
    }
    this.types = types.clone();
    this.keys = keys.clone();
    this.critical = critical.clone();
    this.hard = new int[n][];
    this.soft = new int[n][];
    // Duplicates: unkeyed instances by class identity (no string per component: the plan is made
    // while the application starts), keyed ones by class and key.
    Map<Class<?>, Boolean> unkeyed = new IdentityHashMap<>(n * 2);
    Set<String> keyed = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Objects.requireNonNull(this.types[i], "types[" + i + "]");
      boolean first;
      if (this.keys[i] != null) {
        ComponentDescriptor.checkInstanceKey(this.keys[i]);
        first = keyed.add(this.types[i].getName() + "[" + this.keys[i] + "]");
      } else {
        first = unkeyed.put(this.types[i], Boolean.TRUE) == null;
      }
      if (!first) {
        throw new IllegalArgumentException("The plan of " + application + " holds " + name(i) + " twice");
      }
      this.hard[i] = edges(hard[i], i, "hard");
      this.soft[i] = edges(soft[i], i, "soft");
    }
  }

  private int[] edges(int[] row, int i, String kind) {
    if (row == null || row.length == 0) {
      return NONE;
    }
    for (int d : row) {
      if (d < 0 || d >= i) {
        throw new IllegalArgumentException("In the plan of " + application + ", component #" + i + " ("
            + name(i) + ") has a " + kind + " dependency on #" + d + ": every dependency must come before"
            + (d < 0 || d >= types.length ? "" : " (#" + d + " is " + name(d) + ")"));
      }
    }
    return row.clone();
  }

  /** The canonical name of the {@code @OrdoApplication} interface ({@code com.acme.Shop}). */
  public String application() {
    return application;
  }

  /** How many components the plan holds. */
  public int size() {
    return types.length;
  }

  /** The class of component {@code index}. */
  public Class<?> type(int index) {
    return types[index];
  }

  /** The instance key of component {@code index}, or {@code null} for an unkeyed instance. */
  public String key(int index) {
    return keys[index];
  }

  /** Whether component {@code index} is {@code @Critical}. */
  public boolean critical(int index) {
    return critical[index];
  }

  /** The first index of a component of class {@code type}, or -1 if there is none. */
  public int indexOf(Class<?> type) {
    for (int i = 0; i < types.length; i++) {
      if (types[i] == type) {
        return i;
      }
    }
    return -1;
  }

  /** The indices of component {@code index}'s hard dependencies; not copied. */
  int[] hard(int index) {
    return hard[index];
  }

  /** The indices of component {@code index}'s soft dependencies; not copied. */
  int[] soft(int index) {
    return soft[index];
  }

  /** The name component {@code index} has in reports: {@code com.acme.ConnectionPool[orders-db]}. */
  String name(int index) {
    Class<?> type = types[index];
    String canonical = type.getCanonicalName();
    String name = canonical != null ? canonical : type.getName();
    return keys[index] == null ? name : name + "[" + keys[index] + "]";
  }

  @Override
  public String toString() {
    return "AssemblyPlan[" + application + ", " + types.length + " components]";
  }
}

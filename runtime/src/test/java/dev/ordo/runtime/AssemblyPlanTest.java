package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The checks of a compile-time plan (issue 11): what generated code may not get wrong. */
class AssemblyPlanTest {
  static final class A {}

  static final class B {}

  private static final int[][] NONE3 = {{}, {}, {}};

  @Test
  void aPlanDescribesItsComponents() {
    AssemblyPlan plan = new AssemblyPlan("com.acme.Shop", new Class<?>[] {A.class, A.class, B.class},
        new String[] {"one", "two", null}, new boolean[] {true, false, false},
        new int[][] {{}, null, {0, 1}}, new int[][] {{}, {0}, {}});
    assertEquals("com.acme.Shop", plan.application());
    assertEquals(3, plan.size());
    assertEquals(A.class, plan.type(1));
    assertEquals("two", plan.key(1));
    assertNull(plan.key(2));
    assertTrue(plan.critical(0));
    assertFalse(plan.critical(2));
    assertEquals(0, plan.indexOf(A.class));
    assertEquals(2, plan.indexOf(B.class));
    assertEquals(-1, plan.indexOf(String.class));
    assertEquals(0, plan.hard(1).length); // a null row is no dependency
    assertEquals("dev.ordo.runtime.AssemblyPlanTest.A[two]", plan.name(1));
    assertEquals("AssemblyPlan[com.acme.Shop, 3 components]", plan.toString());
  }

  @Test
  void theArraysAreCopied() {
    Class<?>[] types = {A.class, B.class};
    int[][] hard = {{}, {0}};
    AssemblyPlan plan = new AssemblyPlan("com.acme.Shop", types, new String[2], new boolean[2], hard,
        new int[][] {{}, {}});
    types[1] = A.class;
    hard[1][0] = 7;
    assertEquals(B.class, plan.type(1));
    assertEquals(0, plan.hard(1)[0]);
  }

  @Test
  void arraysOfDifferentLengthsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan("com.acme.Shop",
        new Class<?>[] {A.class, B.class, A.class}, new String[3], new boolean[2], NONE3, NONE3));
    assertEquals("The plan of com.acme.Shop has arrays of different lengths: 3 types, 3 keys, 2 critical flags,"
        + " 3 hard and 3 soft dependency rows", e.getMessage());
  }

  @Test
  void anEdgeThatDoesNotPointBackIsRefused() {
    Class<?>[] types = {A.class, B.class};
    IllegalArgumentException forward = assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan(
        "com.acme.Shop", types, new String[2], new boolean[2], new int[][] {{1}, {}}, new int[][] {{}, {}}));
    assertEquals("In the plan of com.acme.Shop, component #0 (dev.ordo.runtime.AssemblyPlanTest.A) has a hard"
        + " dependency on #1: every dependency must come before (#1 is dev.ordo.runtime.AssemblyPlanTest.B)",
        forward.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan(
        "com.acme.Shop", types, new String[2], new boolean[2], new int[][] {{}, {}}, new int[][] {{}, {1}}));
    assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan(
        "com.acme.Shop", types, new String[2], new boolean[2], new int[][] {{}, {-1}}, new int[][] {{}, {}}));
    assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan(
        "com.acme.Shop", types, new String[2], new boolean[2], new int[][] {{}, {}}, new int[][] {{}, {5}}));
  }

  @Test
  void aComponentTwiceOrABadKeyIsRefused() {
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan(
        "com.acme.Shop", new Class<?>[] {A.class, A.class}, new String[] {"x", "x"}, new boolean[2],
        new int[][] {{}, {}}, new int[][] {{}, {}}));
    assertEquals("The plan of com.acme.Shop holds dev.ordo.runtime.AssemblyPlanTest.A[x] twice", twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan("com.acme.Shop",
        new Class<?>[] {A.class, A.class}, new String[2], new boolean[2], new int[][] {{}, {}}, new int[][] {{}, {}}));
    assertThrows(IllegalArgumentException.class, () -> new AssemblyPlan("com.acme.Shop",
        new Class<?>[] {A.class}, new String[] {"a b"}, new boolean[1], new int[][] {{}}, new int[][] {{}}));
  }
}

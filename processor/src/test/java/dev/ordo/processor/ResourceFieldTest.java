package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.resources.ManagedResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Managed-resource fields: found on components, wired by the controller, and final and readable or a compile error. */
class ResourceFieldTest {
  @Test
  void aNonFinalResourceFieldIsAnErrorOnTheField() {
    Compilation c = Sources.compile(Sources.source("com.acme.Scorer",
        "package com.acme;",
        "",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.runtime.resources.ManagedResource;",
        "",
        "public class Scorer {",
        "  ManagedResource<String> model = ManagedResource.<String>builder(\"model\", v -> v).build();",
        "  @OnStartup void start() {}",
        "}"));
    assertThat(c).failed();
    assertEquals(1, c.errors().size(), c.errors().toString());
    assertThat(c).hadErrorContaining("[Ordo/ResourceFieldNotFinal] Managed resource field model of com.acme.Scorer"
        + " is not final")
        .inFile(c.sourceFiles().get(0)).onLineContaining("ManagedResource<String> model");
  }

  @Test
  void aPrivateResourceFieldIsAnErrorOnTheField() {
    Compilation c = Sources.compile(Sources.source("com.acme.Scorer",
        "package com.acme;",
        "",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.runtime.resources.ManagedResource;",
        "",
        "public class Scorer {",
        "  private final ManagedResource<String> model = ManagedResource.<String>builder(\"model\", v -> v).build();",
        "  @OnStartup void start() {}",
        "}"));
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[Ordo/ResourceFieldPrivate] Managed resource field model of com.acme.Scorer is"
        + " private; its generated controller Scorer_Lifecycle reads it")
        .inFile(c.sourceFiles().get(0)).onLineContaining("private final ManagedResource");
  }

  @Test
  void aPrivateMutableFieldGetsBothErrors() {
    Compilation c = Sources.compile(Sources.source("com.acme.Scorer",
        "package com.acme;",
        "",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.runtime.resources.ManagedResource;",
        "",
        "public class Scorer {",
        "  private ManagedResource<String> model;",
        "  @OnStartup void start() {}",
        "}"));
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void theGeneratedControllerGivesTheFieldsValuesInOrder() throws Exception {
    Compilation c = Sources.compile(Sources.scorer());
    assertThat(c).succeededWithoutWarnings();
    GeneratedCodeTest.GeneratedClassLoader loader = new GeneratedCodeTest.GeneratedClassLoader(c);
    Object instance = loader.loadClass("com.acme.Scorer").getConstructor().newInstance();
    LifecycleController<?> controller = (LifecycleController<?>) loader.loadClass("com.acme.Scorer_Lifecycle")
        .getMethod("ofInstance", Object.class).invoke(null, instance);
    assertEquals(List.of("model", "index"), controller.descriptor().resources());
    List<ManagedResource<?>> resources = controller.resources();
    assertEquals(List.of("model", "index"), resources.stream().map(ManagedResource::name).toList());
    assertTrue(resources.get(1).lazy());
  }
}

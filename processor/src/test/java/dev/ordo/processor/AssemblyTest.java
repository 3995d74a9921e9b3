package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated assembly of an {@code @OrdoApplication}: its exact text, the edges constructors
 * imply, keyed instances, externals, components left out, and every mistake as a compile error.
 */
class AssemblyTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("ordo.golden.update");

  /** The example: a pool built from a config, a store, an optional index, an API with events. */
  static List<JavaFileObject> shop() {
    return List.of(
        source("com.acme.Shop",
            "package com.acme;",
            "import dev.ordo.OrdoApplication;",
            "import java.util.Optional;",
            "@OrdoApplication",
            "public interface Shop {",
            "  OrderApi api();",
            "  Optional<SearchIndex> index();",
            "}"),
        source("com.acme.ShopConfig", "package com.acme;", "public record ShopConfig(String url) {}"),
        source("com.acme.ConnectionPool",
            "package com.acme;",
            "import dev.ordo.*;",
            "@Critical",
            "public class ConnectionPool {",
            "  public ConnectionPool(ShopConfig config) {}",
            "  @OnStartup void open() {}",
            "}"),
        source("com.acme.OrderStore",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.RequestTracker;",
            "@Critical",
            "public class OrderStore {",
            "  public OrderStore(ConnectionPool pool, RequestTracker tracker) {}",
            "  @OnStartup void migrate() {}",
            "}"),
        source("com.acme.SearchIndex",
            "package com.acme;",
            "import dev.ordo.*;",
            "public class SearchIndex {",
            "  SearchIndex(OrderStore store) {}",
            "  @OnStartup void load() {}",
            "}"),
        source("com.acme.OrderApi",
            "package com.acme;",
            "import dev.ordo.*;",
            "import jakarta.inject.Named;",
            "import java.util.Optional;",
            "@Critical",
            "@PublishesEvents(operations = \"checkout\")",
            "public class OrderApi {",
            "  OrderApi(OrderStore store, Optional<SearchIndex> index, OrderApi_Events events,",
            "      @Named(\"http-port\") int port) {}",
            "  @OnStartup void listen() {}",
            "}"));
  }

  private static String generated(Compilation compilation, String name) throws IOException {
    return compilation.generatedSourceFile(name)
        .orElseThrow(() -> new AssertionError("not generated: " + name + "; generated: "
            + compilation.generatedSourceFiles() + "\n" + compilation.diagnostics()))
        .getCharContent(true).toString();
  }

  @Test
  void theAssemblyOfTheShopIsExactlyTheGoldenFile() throws IOException {
    Compilation compilation = compile(shop().toArray(new JavaFileObject[0]));
    assertThat(compilation).succeededWithoutWarnings();
    String actual = generated(compilation, "com.acme.OrdoShop");
    Path file = GOLDEN.resolve("OrdoShop.java.txt");
    if (UPDATE) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "generated OrdoShop differs from " + file + "; if the change is intended, rerun with -Dordo.golden.update=true");
  }

  @Test
  void constructorParametersAreTheEdgesOfThePlanAndOfTheControllers() throws IOException {
    Compilation compilation = compile(shop().toArray(new JavaFileObject[0]));
    String assembly = generated(compilation, "com.acme.OrdoShop");
    // ConnectionPool, OrderStore, SearchIndex, OrderApi: the store after the pool, the index after
    // the store, the API hard after the store and soft after the index.
    assertTrue(assembly.contains("new int[][] {{}, {0}, {1}, {1}}"), assembly);
    assertTrue(assembly.contains("new int[][] {{}, {}, {}, {2}}"), assembly);
    String api = generated(compilation, "com.acme.OrderApi_Lifecycle");
    assertTrue(api.contains(".dependsOn(\"com.acme.OrderStore\")"), api);
    assertTrue(api.contains(".dependsOnOptionally(\"com.acme.SearchIndex\")"), api);
  }

  @Test
  void anOptionalComponentCanBeLeftOutAndItsDependentsGetAnEmptyOptional() throws IOException {
    String assembly = generated(compile(shop().toArray(new JavaFileObject[0])), "com.acme.OrdoShop");
    assertTrue(assembly.contains("if (assembly.includes(2)) {\n        searchIndex = new SearchIndex(orderStore);"), assembly);
    assertTrue(assembly.contains("Optional.ofNullable(searchIndex)"), assembly);
    assertTrue(assembly.contains("public Builder without(Class<?> component)"), assembly);
  }

  @Test
  void namedParametersOfAComponentTypeAreKeyedInstancesGivenToTheBuilder() throws IOException {
    Compilation compilation = compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication", "public interface Shop {}"),
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Pool { public Pool(String url) {} @OnStartup void open() {} }"),
        source("com.acme.Orders", "package com.acme;", "import dev.ordo.*;", "import jakarta.inject.Named;",
            "@Critical public class Orders { Orders(@Named(\"orders-db\") Pool pool) {} @OnStartup void start() {} }"),
        source("com.acme.Users", "package com.acme;", "import dev.ordo.*;", "import jakarta.inject.Named;",
            "public class Users { Users(@Named(\"users-db\") Pool pool) {} @OnStartup void start() {} }"),
        source("com.acme.Audit", "package com.acme;", "import dev.ordo.*;",
            "@DependsOn(Pool.class) public class Audit { @OnStartup void start() {} }"));
    assertThat(compilation).succeededWithoutWarnings();
    String assembly = generated(compilation, "com.acme.OrdoShop");
    // In waves: both pools first, then what depends on them, by name.
    assertTrue(assembly.contains("new Class<?>[] {Pool.class, Pool.class, Audit.class, Orders.class, Users.class}"), assembly);
    assertTrue(assembly.contains("new String[] {\"orders-db\", \"users-db\", null, null, null}"), assembly);
    // Audit depends on the class: on both instances; each of the others on its own.
    assertTrue(assembly.contains("new int[][] {{}, {}, {0, 1}, {0}, {1}}"), assembly);
    assertTrue(assembly.contains("public Builder ordersDb(Pool ordersDb)"), assembly);
    assertTrue(assembly.contains("public Builder usersDb(Pool usersDb)"), assembly);
    assertTrue(assembly.contains("new Orders(ordersDb)"), assembly);
    assertTrue(assembly.contains("new Users(usersDb)"), assembly);
    assertFalse(assembly.contains("new Pool("), "keyed instances are given, not constructed:\n" + assembly);
  }

  @Test
  void abstractOrInaccessibleComponentsAreExternalsAndSharedExternalsAreOneSetter() throws IOException {
    Compilation compilation = compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication",
            "public interface Shop { Pool pool(); }"),
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "public abstract class Pool { @OnStartup void open() {} }"),
        source("com.acme.Settings", "package com.acme;", "public final class Settings {}"),
        source("com.acme.Hidden", "package com.acme;", "import dev.ordo.*;",
            "public class Hidden { private Hidden() {} @OnStartup void open() {} }"),
        source("com.acme.A", "package com.acme;", "import dev.ordo.*;",
            "public class A { A(Pool pool, Settings settings) {} @OnStartup void start() {} }"),
        source("com.acme.B", "package com.acme;", "import dev.ordo.*;",
            "public class B { B(Settings settings) {} @OnStartup void start() {} }"));
    assertThat(compilation).succeededWithoutWarnings();
    String assembly = generated(compilation, "com.acme.OrdoShop");
    assertTrue(assembly.contains("public Builder pool(Pool pool)"), assembly);
    assertTrue(assembly.contains("public Builder hidden(Hidden hidden)"), assembly);
    assertEquals(1, assembly.split("public Builder settings\\(Settings settings\\)", -1).length - 1, assembly);
    assertTrue(assembly.contains("new A(pool, settings)"), assembly);
    assertTrue(assembly.contains("new B(settings)"), assembly);
    // Needed only when a component that takes it is in: none of these is critical.
    assertTrue(assembly.contains("if (settings == null && (assembly.includes("), assembly);
  }

  @Test
  void anInjectConstructorIsChosenAmongSeveral() throws IOException {
    Compilation compilation = compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication", "public interface Shop {}"),
        source("com.acme.Store", "package com.acme;", "import dev.ordo.*;",
            "public class Store { @OnStartup void open() {} }"),
        source("com.acme.Api", "package com.acme;", "import dev.ordo.*;",
            "public class Api {",
            "  Api() { this(null); }",
            "  @jakarta.inject.Inject Api(Store store) {}",
            "  @OnStartup void start() {}",
            "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(generated(compilation, "com.acme.OrdoShop").contains("new Api(store)"));
    assertTrue(generated(compilation, "com.acme.Api_Lifecycle").contains(".dependsOn(\"com.acme.Store\")"));
  }

  @Test
  void checkedExceptionsOfConstructorsAreDeclaredByBuild() throws IOException {
    Compilation compilation = compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication", "public interface Shop {}"),
        source("com.acme.Store", "package com.acme;", "public class Store {",
            "  public Store() throws java.io.IOException, IllegalStateException {}",
            "  @dev.ordo.OnStartup void open() {}", "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(generated(compilation, "com.acme.OrdoShop").contains("public OrdoShop build() throws IOException {"));
  }

  @Test
  void anApplicationDeclaringOrdoGetsItImplemented() throws IOException {
    Compilation compilation = compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication",
            "public interface Shop { dev.ordo.runtime.Ordo ordo(); default String name() { return \"shop\"; } }"),
        source("com.acme.Store", "package com.acme;", "public class Store { @dev.ordo.OnStartup void open() {} }"));
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(generated(compilation, "com.acme.OrdoShop").contains("@Override\n  public Ordo ordo()"));
  }

  @Test
  void aConstructorCycleThroughAnOptionalParameterCannotBeAssembled() {
    JavaFileObject a = source("com.acme.A", "package com.acme;", "import dev.ordo.*;",
        "public class A {", "  A(java.util.Optional<B> b) {}", "  @OnStartup void start() {}", "}");
    JavaFileObject b = source("com.acme.B", "package com.acme;", "import dev.ordo.*;",
        "public class B {", "  B(A a) {}", "  @OnStartup void start() {}", "}");
    JavaFileObject shop = source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication",
        "public interface Shop {}");
    Compilation compilation = compile(a, b, shop);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[Ordo/ConstructorCycle]");
    assertThat(compilation).hadErrorContaining("com.acme.A takes com.acme.B in its constructor");
    // Without an application, the optional edge yields at run time, as any soft edge in a cycle.
    assertThat(compile(a, b)).succeeded();
  }

  @Test
  void moreMistakesEachOnItsElement() {
    JavaFileObject generic = source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication",
        "public interface Shop<T> {}");
    assertThat(compile(generic)).hadErrorContaining("[Ordo/ApplicationKind] @OrdoApplication com.acme.Shop has type parameters");

    JavaFileObject twoConfigs = source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication",
        "public interface Shop {}");
    Compilation clash = compile(twoConfigs,
        source("com.a.Config", "package com.a;", "public class Config {}"),
        source("com.b.Config", "package com.b;", "public class Config {}"),
        source("com.acme.X", "package com.acme;", "public class X { X(com.a.Config c) {} @dev.ordo.OnStartup void s() {} }"),
        source("com.acme.Y", "package com.acme;", "public class Y { Y(com.b.Config c) {} @dev.ordo.OnStartup void s() {} }"));
    assertThat(clash).hadErrorContaining("[Ordo/ExternalNameClash] The external com.b.Config would get the builder"
        + " setter config(...), which is taken by the external com.a.Config");

    Compilation genericExternal = compile(twoConfigs,
        source("com.acme.X", "package com.acme;",
            "public class X { X(java.util.List<String> names) {} @dev.ordo.OnStartup void s() {} }"));
    assertThat(genericExternal).hadErrorContaining("[Ordo/ExternalNeedsName]");

    Compilation ambiguousAccessor = compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication", "public interface Shop { Pool pool(); }"),
        source("com.acme.Pool", "package com.acme;", "public class Pool { @dev.ordo.OnStartup void s() {} }"),
        source("com.acme.X", "package com.acme;",
            "public class X { X(@jakarta.inject.Named(\"a\") Pool p, @jakarta.inject.Named(\"b\") Pool q) {} @dev.ordo.OnStartup void s() {} }"));
    assertThat(ambiguousAccessor).hadErrorContaining("[Ordo/AmbiguousComponent] com.acme.Shop.pool() takes com.acme.Pool"
        + " without a qualifier, but the application has 2 instances of it: \"a\", \"b\"");
  }

  @Test
  void aComponentOfAJarCompiledWithoutTheProcessorHasNoController(@TempDir Path library) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      assertTrue(compiler.getTask(null, files, null,
          List.of("-d", library.toString(), "-proc:none", "-classpath", System.getProperty("java.class.path")), null,
          List.of(source("com.lib.Pool", "package com.lib;", "public class Pool { @dev.ordo.OnStartup public void open() {} }")))
          .call());
    }
    List<File> classPath = new ArrayList<>();
    classPath.add(library.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classPath.add(new File(entry));
    }
    Compilation compilation = javac().withProcessors(new OrdoProcessor()).withClasspath(classPath).compile(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication", "public interface Shop {}"),
        source("com.acme.Api", "package com.acme;",
            "public class Api { public Api(com.lib.Pool pool) {} @dev.ordo.OnStartup void start() {} }"));
    assertThat(compilation).hadErrorContaining("[Ordo/NoController] com.lib.Pool, which com.acme.Shop needs, is a"
        + " component of a jar compiled without Ordo's processor");
  }

  @Test
  void aLargeApplicationIsSplitIntoPartsThatCompile() throws IOException {
    List<JavaFileObject> sources = new ArrayList<>();
    sources.add(source("com.big.Big", "package com.big;", "@dev.ordo.OrdoApplication",
        "public interface Big { C449 last(); }"));
    for (int i = 0; i < 450; i++) {
      String parameter = i == 0 ? "" : "C" + (i - 1) + " previous" + (i % 7 == 0 ? ", java.util.Optional<C0> first" : "");
      sources.add(source("com.big.C" + i, "package com.big;",
          (i == 0 ? "@dev.ordo.Critical " : "") + "public class C" + i + " {",
          "  public C" + i + "(" + parameter + ") {}",
          "  @dev.ordo.OnStartup void start() {}",
          "}"));
    }
    Compilation compilation = compile(sources.toArray(new JavaFileObject[0]));
    assertThat(compilation).succeededWithoutWarnings();
    String assembly = generated(compilation, "com.big.OrdoBig");
    assertTrue(assembly.contains("private static final class Part2 {"), "450 components in parts of 200");
    assertTrue(assembly.contains("instances[7] = new C7(((C6) instances[6]), Optional.ofNullable(((C0) instances[0])));"),
        assembly.substring(0, 3000));
  }

  @Test
  void theAssemblyIsDeterministic() throws IOException {
    String first = generated(compile(shop().toArray(new JavaFileObject[0])), "com.acme.OrdoShop");
    List<JavaFileObject> reversed = new ArrayList<>(shop());
    java.util.Collections.reverse(reversed);
    assertEquals(first, generated(compile(reversed.toArray(new JavaFileObject[0])), "com.acme.OrdoShop"));
  }
}

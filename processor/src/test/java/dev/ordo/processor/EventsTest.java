package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ordo.processor.model.ComponentEvents;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.events.Correlation;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventCatalog;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventPublisher;
import dev.ordo.runtime.events.InMemoryEventSink;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * {@code @PublishesEvents}: the generated events API (golden file, and run), the catalog, and the
 * compile-time errors of bad and conflicting declarations.
 */
class EventsTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("ordo.golden.update");

  static JavaFileObject checkoutService() {
    return source("com.acme.CheckoutService",
        "package com.acme;",
        "",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.PublishesEvents;",
        "",
        "@PublishesEvents(operations = {\"checkout\", \"price-update\"}, payloads = OrderPlaced.class)",
        "public final class CheckoutService {",
        "  @OnStartup void open() {}",
        "}");
  }

  static JavaFileObject orderPlaced() {
    return source("com.acme.OrderPlaced",
        "package com.acme;",
        "",
        "public record OrderPlaced(long orderId, String item, int quantity, java.math.BigDecimal total) {}");
  }

  static JavaFileObject refunds() {
    return source("com.acme.Refunds",
        "package com.acme;",
        "",
        "import dev.ordo.PublishesEvents;",
        "",
        "@PublishesEvents(operations = \"checkout\", payloads = OrderPlaced.class)",
        "final class Refunds {}");
  }

  private final Compilation compilation = compile(checkoutService(), orderPlaced(), refunds());

  // --- the generated API ---

  @Test
  void compilesWithoutWarnings() {
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void eventsApiGoldenFile() throws IOException {
    assertGolden(generated("com/acme/CheckoutService_Events.java", StandardLocation.SOURCE_OUTPUT),
        "CheckoutService_Events.java.txt");
  }

  @Test
  void catalogGoldenFile() throws IOException {
    assertGolden(generated("META-INF/ordo/events.json", StandardLocation.CLASS_OUTPUT), "events.json.txt");
  }

  @Test
  void catalogFieldsAreTheRuntimes() {
    // The processor writes what the runtime publishes: the same data fields, in the same order.
    List<ComponentEvents.EventType> types =
        new ComponentEvents(dev.ordo.processor.model.ComponentName.of("a", "B"), List.of("x"), List.of()).types();
    assertEquals(fields(EventCatalog.operationStartedFields()), fieldsOf(types.get(0)));
    assertEquals(fields(EventCatalog.operationCompletedFields()), fieldsOf(types.get(1)));
    assertEquals(fields(EventCatalog.operationFailedFields()), fieldsOf(types.get(2)));
  }

  private static List<String> fields(List<EventCatalog.Field> fields) {
    return fields.stream().map(f -> f.name() + ":" + f.type() + ":" + f.nullable()).toList();
  }

  private static List<String> fieldsOf(ComponentEvents.EventType type) {
    return type.data().stream().map(f -> f.name() + ":" + f.type() + ":" + f.nullable()).toList();
  }

  @Test
  void theGeneratedApiPublishesAroundTheWorkAndTheRuntimeReadsTheCatalog() throws Exception {
    assertThat(compilation).succeeded();
    Loader loader = new Loader(compilation);
    InMemoryEventSink sink = new InMemoryEventSink();
    EventPublisher publisher = new EventPublisher("test", EventOptions.defaults().sink(sink).typePrefix("com.acme"));
    Class<?> api = loader.loadClass("com.acme.CheckoutService_Events");
    Object events = api.getMethod("of", EventPublisher.class).invoke(null, publisher);

    Method checkout = api.getMethod("checkout", String.class, Callable.class);
    Callable<String> work = () -> "paid " + Correlation.current();
    assertEquals("paid order-1", checkout.invoke(events, "order-1", work));
    Method priceUpdate = api.getMethod("priceUpdate", Runnable.class);
    Runnable failing = () -> {
      throw new IllegalStateException("stale price");
    };
    InvocationTargetException thrown =
        assertThrows(InvocationTargetException.class, () -> priceUpdate.invoke(events, failing));
    assertEquals("stale price", thrown.getCause().getMessage());
    Class<?> record = loader.loadClass("com.acme.OrderPlaced");
    Object placed = record.getConstructors()[0].newInstance(42L, "espresso", 2, new java.math.BigDecimal("9.90"));
    assertEquals(true, api.getMethod("publish", String.class, record).invoke(events, "order-1", placed));
    publisher.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        System.nanoTime() + Duration.ofSeconds(10).toNanos());

    List<Event> all = sink.events();
    assertEquals(List.of("com.acme.checkout.started", "com.acme.checkout.completed",
            "com.acme.price-update.started", "com.acme.price-update.failed", "com.acme.order-placed",
            "com.acme.application.stopped"),
        all.stream().map(Event::type).toList());
    assertEquals("order-1", all.get(1).correlationId());
    assertEquals("com.acme.CheckoutService", all.get(1).subject());
    assertEquals(List.of("orderId", "item", "quantity", "total"), List.copyOf(all.get(4).data().keySet()));
    assertEquals("9.90", all.get(4).toJson().replaceAll(".*\"total\":([0-9.]+).*", "$1"));

    EventCatalog catalog;
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader);
    try {
      catalog = EventCatalog.load(loader, "com.acme");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
    for (Event e : all) {
      assertTrue(catalog.entry(e.type()).isPresent(), "the catalog lists " + e.type());
    }
    EventCatalog.Entry entry = catalog.entry("com.acme.order-placed").orElseThrow();
    assertEquals(List.of("com.acme.CheckoutService", "com.acme.Refunds"), entry.components());
    assertEquals(List.of("orderId", "item", "quantity", "total"), entry.fieldNames());
    assertEquals(List.of("com.acme.CheckoutService", "com.acme.Refunds"),
        catalog.entry("com.acme.checkout.failed").orElseThrow().components());
  }

  @Test
  void methodNamesAreJavaNames() {
    assertEquals("priceUpdate", ComponentEvents.methodName("price-update"));
    assertEquals("step_2", ComponentEvents.methodName("step-2"));
    assertEquals("new_", ComponentEvents.methodName("new"));
    assertEquals("order-placed", ComponentEvents.eventName("OrderPlaced"));
    assertEquals("http-request-v2", ComponentEvents.eventName("HTTPRequestV2"));
    assertEquals("order-placed", ComponentEvents.eventName("Order_Placed"));
  }

  // --- errors ---

  private static JavaFileObject component(String annotation) {
    return source("com.acme.Shop",
        "package com.acme;",
        "import dev.ordo.*;",
        "",
        annotation,
        "public final class Shop {}");
  }

  private static void assertOnlyError(Compilation compilation, String message, JavaFileObject file, String line) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(line);
    assertEquals(message, compilation.errors().get(0).getMessage(null));
  }

  @Test
  void operationNamesMustMakeValidEventTypes() {
    for (String bad : List.of("Checkout", "check_out", "-x", "x-", "2fa", "check out", "")) {
      JavaFileObject shop = component("@PublishesEvents(operations = {\"ok\", \"" + bad + "\"})");
      assertOnlyError(compile(shop),
          "[Ordo/InvalidOperationName] @PublishesEvents operation \"" + bad + "\" on com.acme.Shop is not a"
              + " valid event name\n"
              + "  help: use lower-case letters, digits and single inner dashes, starting with a letter, at most"
              + " 63 characters, such as \"checkout\" or \"price-update\": it becomes the event types"
              + " <prefix>.<operation>.started, .completed and .failed\n"
              + "  docs: docs/errors.md#invalid-operation-name",
          shop, "@PublishesEvents");
    }
    String tooLong = "a".repeat(64);
    assertThat(compile(component("@PublishesEvents(operations = \"" + tooLong + "\")")))
        .hadErrorContaining("[Ordo/InvalidOperationName]");
  }

  @Test
  void operationsMustNotReuseOrdosOwnEventTypes() {
    JavaFileObject shop = component("@PublishesEvents(operations = \"component\")");
    assertOnlyError(compile(shop),
        "[Ordo/ReservedOperationName] @PublishesEvents operation \"component\" on com.acme.Shop would publish"
            + " component.started, component.completed and component.failed, which belong to Ordo's own"
            + " component.* events\n"
            + "  help: rename the operation, such as \"component-update\"; application, component and health are"
            + " reserved\n"
            + "  docs: docs/errors.md#reserved-operation-name",
        shop, "@PublishesEvents");
  }

  @Test
  void anOperationIsDeclaredOnce() {
    JavaFileObject shop = component("@PublishesEvents(operations = {\"checkout\", \"refund\", \"checkout\"})");
    assertOnlyError(compile(shop),
        "[Ordo/DuplicateOperation] com.acme.Shop declares the operation \"checkout\" more than once\n"
            + "  help: keep one \"checkout\" in @PublishesEvents(operations = ...)\n"
            + "  docs: docs/errors.md#duplicate-operation",
        shop, "@PublishesEvents");
  }

  @Test
  void payloadComponentsMustHaveAJsonForm() {
    JavaFileObject shop = component("@PublishesEvents(payloads = Shop.Shipped.class)");
    shop = source("com.acme.Shop",
        "package com.acme;",
        "import dev.ordo.*;",
        "",
        "@PublishesEvents(operations = \"ship\", payloads = Shop.Shipped.class)",
        "public final class Shop {",
        "  public record Shipped(long id, java.util.List<String> items) {}",
        "}");
    assertOnlyError(compile(shop),
        "[Ordo/EventPayloadField] Component items of event payload com.acme.Shop.Shipped has type"
            + " java.util.List<java.lang.String>, which events cannot carry as JSON\n"
            + "  help: use a primitive or its box, String, an enum, BigDecimal, BigInteger, UUID, Instant,"
            + " Duration, LocalDate or URI; publish an id rather than an object\n"
            + "  docs: docs/errors.md#event-payload-field",
        shop, "@PublishesEvents");
  }

  @Test
  void payloadsMustBeNameableFromTheGeneratedClass() {
    JavaFileObject shop = source("com.acme.Shop",
        "package com.acme;",
        "import dev.ordo.*;",
        "",
        "public final class Shop {",
        "  private record Secret(long id) {}",
        "",
        "  @PublishesEvents(operations = \"ship\", payloads = Secret.class)",
        "  static final class Desk {}",
        "}");
    assertOnlyError(compile(shop),
        "[Ordo/EventPayloadAccess] @PublishesEvents payload com.acme.Shop.Secret on com.acme.Shop.Desk cannot be"
            + " named by the generated Shop_Desk_Events: it is private, or neither public nor in the component's package\n"
            + "  help: make com.acme.Shop.Secret public (and every class around it), or move it to the package of"
            + " com.acme.Shop.Desk\n"
            + "  docs: docs/errors.md#event-payload-access",
        shop, "@PublishesEvents");
  }

  @Test
  void aPayloadIsDeclaredOnce() {
    JavaFileObject shop = component("@PublishesEvents(payloads = {OrderPlaced.class, OrderPlaced.class})");
    assertOnlyError(compile(shop, orderPlaced()),
        "[Ordo/DuplicateEventPayload] com.acme.Shop declares the payload com.acme.OrderPlaced more than once\n"
            + "  help: keep one com.acme.OrderPlaced.class in @PublishesEvents(payloads = ...)\n"
            + "  docs: docs/errors.md#duplicate-event-payload",
        shop, "@PublishesEvents");
  }

  @Test
  void twoComponentsDeclaringOneEventTypeWithDifferentDataIsAnError() {
    JavaFileObject a = source("com.acme.a.OrderPlaced",
        "package com.acme.a;",
        "public record OrderPlaced(long orderId) {}");
    JavaFileObject b = source("com.acme.b.OrderPlaced",
        "package com.acme.b;",
        "public record OrderPlaced(String orderId, int quantity) {}");
    JavaFileObject shop = source("com.acme.a.Shop",
        "package com.acme.a;",
        "import dev.ordo.*;",
        "@PublishesEvents(operations = \"checkout\", payloads = OrderPlaced.class)",
        "public final class Shop {}");
    JavaFileObject warehouse = source("com.acme.b.Warehouse",
        "package com.acme.b;",
        "import dev.ordo.*;",
        "@PublishesEvents(operations = \"checkout\", payloads = OrderPlaced.class)",
        "public final class Warehouse {}");
    assertOnlyError(compile(a, b, shop, warehouse),
        "[Ordo/ConflictingEvent] Event type order-placed is declared with different data: by com.acme.a.Shop"
            + " (payload com.acme.a.OrderPlaced: (orderId: integer)) and by com.acme.b.Warehouse (payload"
            + " com.acme.b.OrderPlaced: (orderId: string, quantity: integer)); one event type must carry one"
            + " shape of data\n"
            + "  help: rename one of the records (the event type is the record's name in kebab case), or publish"
            + " the same record from both components\n"
            + "  docs: docs/errors.md#conflicting-event",
        warehouse, "@PublishesEvents");
  }

  @Test
  void theSameOperationOnTwoComponentsIsOneEventType() {
    // checkout.* from two components: the same data, so no conflict (the catalog lists both).
    assertThat(compilation).succeeded();
    assertFalse(compilation.generatedSourceFile("com.acme.Refunds_Events").isEmpty());
  }

  // --- helpers ---

  private String generated(String path, StandardLocation location) throws IOException {
    JavaFileObject file = compilation.generatedFile(location, path)
        .orElseThrow(() -> new AssertionError("not generated: " + path + "; generated: " + compilation.generatedFiles()));
    return file.getCharContent(true).toString();
  }

  private static void assertGolden(String actual, String goldenFile) throws IOException {
    Path file = GOLDEN.resolve(goldenFile);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "generated text differs from " + file + "; if the change is intended, rerun with -Dordo.golden.update=true");
  }

  /** Loads the classes and resources of a compilation from memory; the runtime from the class path. */
  private static final class Loader extends ClassLoader {
    private final Compilation compilation;

    Loader(Compilation compilation) {
      super(EventsTest.class.getClassLoader());
      this.compilation = compilation;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      JavaFileObject file = compilation
          .generatedFile(StandardLocation.CLASS_OUTPUT, name.replace('.', '/') + ".class")
          .orElseThrow(() -> new ClassNotFoundException(name));
      try (InputStream in = file.openInputStream()) {
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
      var file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, name);
      if (file.isEmpty()) {
        return Collections.emptyEnumeration();
      }
      byte[] bytes;
      try (InputStream in = file.get().openInputStream()) {
        bytes = in.readAllBytes();
      }
      URL url = new URL("memory", "", -1, "/" + name, new URLStreamHandler() {
        @Override
        protected URLConnection openConnection(URL u) {
          return new URLConnection(u) {
            @Override
            public void connect() {}

            @Override
            public InputStream getInputStream() {
              return new java.io.ByteArrayInputStream(bytes);
            }
          };
        }
      });
      return Collections.enumeration(List.of(url));
    }
  }
}

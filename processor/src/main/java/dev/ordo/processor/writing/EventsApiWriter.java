package dev.ordo.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import dev.ordo.processor.model.ComponentEvents;
import dev.ordo.processor.model.ComponentEvents.EventType;
import dev.ordo.processor.model.ComponentEvents.Field;
import dev.ordo.processor.model.ComponentEvents.Payload;
import dev.ordo.processor.model.ComponentEvents.PayloadComponent;
import dev.ordo.processor.model.ComponentName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code Foo_Events}, the typed events API of a component that declares
 * {@code @PublishesEvents}: one method per operation that runs the work and publishes its
 * {@code started}, {@code completed} and {@code failed} events around it, and one
 * {@code publish} method per payload record. User code never spells an event type; the Javadoc
 * lists every event the class publishes, with its data.
 */
public final class EventsApiWriter {
  static final ClassName EVENT_PUBLISHER = ClassName.get("dev.ordo.runtime.events", "EventPublisher");
  static final ClassName OPERATION = ClassName.get("dev.ordo.runtime.events", "Operation");
  static final ClassName CORRELATION = ClassName.get("dev.ordo.runtime.events", "Correlation");
  static final ClassName ORDO = ClassName.get("dev.ordo.runtime", "Ordo");
  /** The publisher's field: operations make camel-case names, never with a trailing underscore. */
  private static final String PUBLISHER = "publisher_";
  /** The subject's field: "component" is a reserved operation name, so no operation's field is this. */
  private static final String SUBJECT = "component_";

  private final boolean generatedAnnotation;

  /**
   * Writes events APIs.
   *
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} exists on
   *     the compilation's platform
   */
  public EventsApiWriter(boolean generatedAnnotation) {
    this.generatedAnnotation = generatedAnnotation;
  }

  /** The class's name: {@code com.acme.Outer_Inner_Events}. */
  public static ClassName eventsName(ComponentName component) {
    return ClassName.get(component.packageName(), component.flatName() + "_Events");
  }

  /** The events API of {@code events}, declared by {@code originating}. */
  public JavaFile write(ComponentEvents events, Element originating) {
    ComponentName name = events.component();
    ClassName self = eventsName(name);
    ClassName component = classNameOf(name);
    TypeSpec.Builder spec = TypeSpec.classBuilder(self)
        .addOriginatingElement(originating)
        .addJavadoc(classJavadoc(events, component))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL);
    if (generatedAnnotation) {
      spec.addAnnotation(RuntimeTypes.generated());
    }
    if (!events.operations().isEmpty()) {
      // checkout(id, Callable) and checkout(id, Runnable), like ExecutorService.submit: a lambda
      // that returns a value picks the Callable.
      spec.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "overloads").build());
    }
    spec.addField(FieldSpec.builder(String.class, "COMPONENT", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The component's name: the {@code subject} and {@code data.component} of its events.")
        .initializer("$S", name.qualifiedName())
        .build());
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addJavadoc("Binds the operations to {@code publisher}.\n\n@param publisher the application's events\n"
            + "@param subject the subject of the events\n")
        .addModifiers(Modifier.PRIVATE)
        .addParameter(EVENT_PUBLISHER, "publisher")
        .addParameter(String.class, "subject");
    if (!events.payloads().isEmpty()) {
      // Only the publish methods of payload events read them (a field never read draws a warning
      // from the Eclipse compiler); operations hold what they need.
      spec.addField(FieldSpec.builder(EVENT_PUBLISHER, PUBLISHER, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("The application's events, which these are published through.").build());
      spec.addField(FieldSpec.builder(String.class, SUBJECT, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@link #COMPONENT}, or for a keyed instance {@code COMPONENT[key]}.")
          .build());
      constructor.addStatement("this.$N = publisher", PUBLISHER).addStatement("this.$N = subject", SUBJECT);
    }
    for (String operation : events.operations()) {
      String field = ComponentEvents.methodName(operation);
      spec.addField(FieldSpec.builder(OPERATION, field, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("The {@code $L} operation.", operation).build());
      constructor.addStatement("this.$N = publisher.operation(subject, $S)", field, operation);
    }
    spec.addMethod(constructor.build());
    spec.addMethod(MethodSpec.methodBuilder("of")
        .addJavadoc("The events API of {@link $T} in {@code app}.\n\n@param app the application\n"
            + "@return its events API\n", component)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(ORDO, "app")
        .addStatement("return new $T(app.events(), COMPONENT)", self)
        .build());
    spec.addMethod(MethodSpec.methodBuilder("of")
        .addJavadoc("The events API of {@link $T}, publishing through {@code publisher}.\n\n"
            + "@param publisher the events to publish through\n@return its events API\n", component)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(EVENT_PUBLISHER, "publisher")
        .addStatement("return new $T(publisher, COMPONENT)", self)
        .build());
    spec.addMethod(MethodSpec.methodBuilder("of")
        .addJavadoc("The events API of the instance {@code key} of {@link $T} in {@code app}\n"
            + "({@code Ordo.Builder.component(key, instance)}): its events' subject is {@code COMPONENT[key]}.\n\n"
            + "@param app the application\n@param key the instance's key\n@return its events API\n",
            component)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(ORDO, "app")
        .addParameter(String.class, "key")
        .addStatement("return new $T(app.events(), COMPONENT + \"[\" + key + \"]\")", self)
        .build());
    for (String operation : events.operations()) {
      addOperation(spec, operation);
    }
    for (Payload payload : events.payloads()) {
      addPayload(spec, payload, name);
    }
    return JavaFile.builder(self.packageName(), spec.build()).skipJavaLangImports(true).build();
  }

  private static void addOperation(TypeSpec.Builder spec, String operation) {
    String method = ComponentEvents.methodName(operation);
    TypeVariableName t = TypeVariableName.get("T");
    CodeBlock publishes = CodeBlock.of("Publishes {@code $L.started}, then {@code $L.completed}, or\n"
        + "{@code $L.failed} if {@code work} throws", operation, operation, operation);
    CodeBlock correlation = CodeBlock.of("the operation's correlation id, current inside {@code work};\n"
        + "    {@code null} for the current one ({@link $T#current()}), else a new one", CORRELATION);
    spec.addMethod(MethodSpec.methodBuilder(method)
        .addJavadoc("Runs {@code work} as one {@code $L} operation and returns its result.\n$L, and\n"
            + "rethrows what it threw.\n\n@param <T> the type of the result\n@param correlationId $L\n"
            + "@param work the operation's work\n@return what {@code work} returned\n"
            + "@throws Exception what {@code work} threw\n", operation, publishes, correlation)
        .addModifiers(Modifier.PUBLIC)
        .addTypeVariable(t)
        .returns(t)
        .addParameter(String.class, "correlationId")
        .addParameter(ParameterizedTypeName.get(ClassName.get(Callable.class), t), "work")
        .addException(Exception.class)
        .addStatement("return this.$N.call(correlationId, work)", method)
        .build());
    spec.addMethod(MethodSpec.methodBuilder(method)
        .addJavadoc("Runs {@code work} as one {@code $L} operation.\n$L, and\nrethrows what it threw.\n\n"
            + "@param correlationId $L\n@param work the operation's work\n", operation, publishes, correlation)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "correlationId")
        .addParameter(Runnable.class, "work")
        .addStatement("this.$N.run(correlationId, work)", method)
        .build());
    spec.addMethod(MethodSpec.methodBuilder(method)
        .addJavadoc("Runs {@code work} as one {@code $L} operation with the current correlation id (else a new\n"
            + "one) and returns its result.\n\n@param <T> the type of the result\n@param work the operation's work\n"
            + "@return what {@code work} returned\n@throws Exception what {@code work} threw\n", operation)
        .addModifiers(Modifier.PUBLIC)
        .addTypeVariable(t)
        .returns(t)
        .addParameter(ParameterizedTypeName.get(ClassName.get(Callable.class), t), "work")
        .addException(Exception.class)
        .addStatement("return this.$N.call(null, work)", method)
        .build());
    spec.addMethod(MethodSpec.methodBuilder(method)
        .addJavadoc("Runs {@code work} as one {@code $L} operation with the current correlation id (else a new\n"
            + "one).\n\n@param work the operation's work\n", operation)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Runnable.class, "work")
        .addStatement("this.$N.run(null, work)", method)
        .build());
    spec.addMethod(MethodSpec.methodBuilder(method)
        .addJavadoc("The {@code $L} operation itself: {@link $T#begin(String)} begins a run that ends later,\n"
            + "on any thread.\n\n@return the operation\n", operation, OPERATION)
        .addModifiers(Modifier.PUBLIC)
        .returns(OPERATION)
        .addStatement("return $N", method)
        .build());
  }

  private static void addPayload(TypeSpec.Builder spec, Payload payload, ComponentName component) {
    ClassName record = classNameOf(payload.record());
    MethodSpec.Builder publish = MethodSpec.methodBuilder("publish")
        .addJavadoc("Publishes {@code $L}, whose data are the components of {@code event}.\n\n"
            + "@param correlationId the event's correlation id; {@code null} for the current one\n"
            + "@param event the event's data\n"
            + "@return whether the event was accepted for delivery (false: no sink, or the queue was full)\n",
            payload.eventName())
        .addModifiers(Modifier.PUBLIC)
        .returns(boolean.class)
        .addParameter(String.class, "correlationId")
        .addParameter(record, "event")
        .addStatement("$T<$T, $T> data = new $T<>()", Map.class, String.class, Object.class, LinkedHashMap.class);
    for (PayloadComponent c : payload.components()) {
      publish.addStatement("data.put($S, event.$N())", c.name(), c.name());
    }
    publish.addStatement("return $N.publish($N, $S, correlationId, data)", PUBLISHER, SUBJECT, payload.eventName());
    spec.addMethod(publish.build());
    spec.addMethod(MethodSpec.methodBuilder("publish")
        .addJavadoc("Publishes {@code $L} with the current correlation id.\n\n@param event the event's data\n"
            + "@return whether the event was accepted for delivery\n", payload.eventName())
        .addModifiers(Modifier.PUBLIC)
        .returns(boolean.class)
        .addParameter(record, "event")
        .addStatement("return publish(null, event)")
        .build());
  }

  private static CodeBlock classJavadoc(ComponentEvents events, ClassName component) {
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Publishes the events of {@link $T}", component);
    if (!events.operations().isEmpty()) {
      String first = events.operations().get(0);
      doc.add(": runs its operations and publishes their events\naround them.\n")
          .add("\n<pre>{@code\n")
          .add("$T events = $T.of(app);\n", eventsName(events.component()), eventsName(events.component()))
          .add("var result = events.$L(requestId, () -> work());  // Correlation.current() is requestId in work()\n",
              ComponentEvents.methodName(first))
          .add("}</pre>\n");
    } else {
      doc.add(".\n");
    }
    doc.add("\n<p>Events, as CloudEvents with the default type prefix {@code dev.ordo}\n")
        .add("({@code ordo.events.type-prefix}), and their data:\n<ul>\n");
    List<EventType> types = events.types();
    for (EventType type : types) {
      doc.add("  <li>{@code dev.ordo.$L}: $L", type.name(), fields(type.data()));
      if (type.kind().equals("payload")) {
        for (Payload p : events.payloads()) {
          if (p.eventName().equals(type.name())) {
            doc.add(" (from {@link $T})", classNameOf(p.record()));
          }
        }
      }
      doc.add("\n");
    }
    doc.add("</ul>\n")
        .add("\n<p>Each carries the {@code correlationid} of its operation, and {@code subject} names the\n")
        .add("component. The compilation's {@code META-INF/ordo/events.json} lists them too.\n");
    return doc.build();
  }

  private static String fields(List<Field> data) {
    List<String> names = new ArrayList<>();
    for (Field f : data) {
      names.add(f.name() + (f.nullable() ? "?" : ""));
    }
    return names.isEmpty() ? "no data" : "{@code " + String.join(", ", names) + "}";
  }

  static ClassName classNameOf(ComponentName name) {
    List<String> simpleNames = name.simpleNames();
    return ClassName.get(name.packageName(), simpleNames.get(0),
        simpleNames.subList(1, simpleNames.size()).toArray(new String[0]));
  }
}

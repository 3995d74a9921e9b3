package dev.ordo.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * The events one component declares with {@code @PublishesEvents}: its operations and its payload
 * records, and the event types they make. Types are relative to the runtime's type prefix
 * ({@code checkout.completed} is {@code dev.ordo.checkout.completed} by default).
 *
 * @param component the component's class
 * @param operations the declared operations, in declaration order
 * @param payloads the declared payload records, in declaration order
 */
public record ComponentEvents(ComponentName component, List<String> operations, List<Payload> payloads) {
  /** Operation and event names: lower-case letters, digits and single inner dashes, from a letter. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
  /** The longest operation name (a DNS label's length). */
  public static final int MAX_NAME_LENGTH = 63;
  /** First segments of the runtime's own event types, which operations must not reuse. */
  public static final List<String> RESERVED = List.of("application", "component", "health");

  /** Copies the lists. */
  public ComponentEvents {
    Objects.requireNonNull(component, "component");
    operations = List.copyOf(operations);
    payloads = List.copyOf(payloads);
  }

  /** Whether the component declares any event. */
  public boolean isEmpty() {
    return operations.isEmpty() && payloads.isEmpty();
  }

  /** Every event type of the component: per operation started, completed, failed; then each payload. */
  public List<EventType> types() {
    List<EventType> types = new ArrayList<>();
    for (String operation : operations) {
      types.add(new EventType(operation + ".started", "operation", EventType.STARTED));
      types.add(new EventType(operation + ".completed", "operation", EventType.COMPLETED));
      types.add(new EventType(operation + ".failed", "operation", EventType.FAILED));
    }
    for (Payload payload : payloads) {
      List<Field> fields = new ArrayList<>();
      for (PayloadComponent c : payload.components()) {
        fields.add(new Field(c.name(), c.jsonType(), c.nullable()));
      }
      types.add(new EventType(payload.eventName(), "payload", fields));
    }
    return types;
  }

  /** Whether {@code name} is a valid operation name. */
  public static boolean isValidName(String name) {
    return name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
  }

  /**
   * The Java method of operation {@code name}: camel case ({@code price-update} is
   * {@code priceUpdate}); a dash before a digit stays an underscore ({@code step-2} is
   * {@code step_2}) so that no two operations share a method; a keyword gets a trailing underscore.
   */
  public static String methodName(String name) {
    StringBuilder s = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '-' && i + 1 < name.length()) {
        char next = name.charAt(++i);
        s.append(Character.isDigit(next) ? "_" + next : String.valueOf(Character.toUpperCase(next)));
      } else {
        s.append(c);
      }
    }
    String method = s.toString();
    return SourceVersion.isKeyword(method) ? method + "_" : method;
  }

  /** The event name of a record: its simple name in kebab case ({@code OrderPlaced} is {@code order-placed}). */
  public static String eventName(String simpleName) {
    String kebab = simpleName
        .replaceAll("[_$]+", "-")
        .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
        .toLowerCase(Locale.ROOT)
        .replaceAll("-+", "-")
        .replaceAll("^-|-$", "");
    return kebab;
  }

  /**
   * One event type.
   *
   * @param name the type without the prefix
   * @param kind {@code operation} or {@code payload}
   * @param data its data fields, in order
   */
  public record EventType(String name, String kind, List<Field> data) {
    static final List<Field> STARTED = List.of(
        new Field("component", "string", false), new Field("operation", "string", false));
    static final List<Field> COMPLETED = List.of(
        new Field("component", "string", false), new Field("operation", "string", false),
        new Field("durationMs", "number", false));
    static final List<Field> FAILED = List.of(
        new Field("component", "string", false), new Field("operation", "string", false),
        new Field("durationMs", "number", false), new Field("errorType", "string", false),
        new Field("errorMessage", "string", true));

    /** Copies the list. */
    public EventType {
      data = List.copyOf(data);
    }
  }

  /**
   * One data field.
   *
   * @param name its name
   * @param type its JSON type: {@code string}, {@code number}, {@code integer} or {@code boolean}
   * @param nullable whether it may be {@code null}
   */
  public record Field(String name, String type, boolean nullable) {}

  /**
   * A payload record.
   *
   * @param record the record's class
   * @param eventName its event name ({@link #eventName})
   * @param components its components, in order
   */
  public record Payload(ComponentName record, String eventName, List<PayloadComponent> components) {
    /** Copies the list. */
    public Payload {
      components = List.copyOf(components);
    }
  }

  /**
   * One component of a payload record.
   *
   * @param name its name, which is the accessor's and the data field's
   * @param jsonType its JSON type
   * @param nullable whether it may be {@code null} (not a primitive)
   * @param javaType the Java type, as source would write it
   */
  public record PayloadComponent(String name, String jsonType, boolean nullable, String javaType) {}
}

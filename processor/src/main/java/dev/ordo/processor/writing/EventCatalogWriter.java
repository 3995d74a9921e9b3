package dev.ordo.processor.writing;

import dev.ordo.processor.model.ComponentEvents;
import dev.ordo.processor.model.ComponentEvents.EventType;
import dev.ordo.processor.model.ComponentEvents.Field;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@code META-INF/ordo/events.json}, the catalog of every event type the compilation's
 * components declare: type (relative to the runtime's type prefix), kind, the components that
 * publish it, and its data fields. Sorted, so the same sources give the same bytes. The runtime
 * merges the catalogs of every module with its built-in events ({@code EventPublisher.catalog()}).
 *
 * <pre>
 * {
 *   "prefix": "ordo.events.type-prefix",
 *   "events": [
 *     {
 *       "type": "checkout.completed",
 *       "kind": "operation",
 *       "components": ["com.acme.CheckoutService"],
 *       "data": [
 *         {"name": "component", "type": "string", "nullable": false},
 *         {"name": "operation", "type": "string", "nullable": false},
 *         {"name": "durationMs", "type": "number", "nullable": false}
 *       ]
 *     }
 *   ]
 * }
 * </pre>
 */
public final class EventCatalogWriter {
  /** Where the catalog is written in the class output. */
  public static final String RESOURCE = "META-INF/ordo/events.json";

  private EventCatalogWriter() {}

  /** The catalog's JSON text; {@code null} when no component declares events. */
  public static String write(List<ComponentEvents> components) {
    Map<String, EventType> types = new TreeMap<>();
    Map<String, SortedSet<String>> publishers = new TreeMap<>();
    for (ComponentEvents events : components) {
      for (EventType type : events.types()) {
        types.putIfAbsent(type.name(), type); // a conflict was reported; the first one wins
        publishers.computeIfAbsent(type.name(), k -> new TreeSet<>()).add(events.component().qualifiedName());
      }
    }
    if (types.isEmpty()) {
      return null;
    }
    StringBuilder json = new StringBuilder("{\n  \"prefix\": \"ordo.events.type-prefix\",\n  \"events\": [");
    boolean first = true;
    for (EventType type : types.values()) {
      json.append(first ? "\n" : ",\n");
      first = false;
      json.append("    {\n")
          .append("      \"type\": ").append(string(type.name())).append(",\n")
          .append("      \"kind\": ").append(string(type.kind())).append(",\n")
          .append("      \"components\": [");
      boolean firstComponent = true;
      for (String component : publishers.get(type.name())) {
        json.append(firstComponent ? "" : ", ").append(string(component));
        firstComponent = false;
      }
      json.append("],\n      \"data\": [");
      for (int i = 0; i < type.data().size(); i++) {
        Field f = type.data().get(i);
        json.append(i == 0 ? "\n" : ",\n")
            .append("        {\"name\": ").append(string(f.name()))
            .append(", \"type\": ").append(string(f.type()))
            .append(", \"nullable\": ").append(f.nullable()).append('}');
      }
      json.append(type.data().isEmpty() ? "]\n" : "\n      ]\n").append("    }");
    }
    return json.append("\n  ]\n}\n").toString();
  }

  private static String string(String value) {
    return JsonText.quote(value);
  }
}

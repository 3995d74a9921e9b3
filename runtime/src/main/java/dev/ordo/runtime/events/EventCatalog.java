package dev.ordo.runtime.events;

import dev.ordo.runtime.engine.json.JsonReader;
import dev.ordo.runtime.engine.json.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every event type an application can publish, known before it runs: the built-in lifecycle and
 * health events, and those the annotation processor wrote for each compilation into
 * {@code META-INF/ordo/events.json} (its declared operations and payload records), merged over
 * every module on the class path. {@link EventPublisher#catalog()} returns the application's.
 *
 * <p>The processor writes types relative to the prefix ({@code checkout.completed}); the catalog
 * gives them with the prefix in force ({@code dev.ordo.checkout.completed}). Two modules that give
 * one type different data are reported in {@link #conflicts()} and logged; the first one read wins.
 *
 * @since 0.1
 */
public final class EventCatalog {
  /** Where each compilation's catalog is, in its class output. */
  public static final String RESOURCE = "META-INF/ordo/events.json";

  private static final System.Logger LOG = System.getLogger(EventCatalog.class.getName());

  private final Map<String, Entry> entries;
  private final List<String> conflicts;

  private EventCatalog(Map<String, Entry> entries, List<String> conflicts) {
    this.entries = Collections.unmodifiableMap(entries);
    this.conflicts = List.copyOf(conflicts);
  }

  /**
   * One event type.
   *
   * @param type the full type, such as {@code dev.ordo.checkout.completed}
   * @param name the type without the prefix, such as {@code checkout.completed}
   * @param kind {@code application}, {@code component}, {@code resource}, {@code health}, {@code metric},
   *     {@code operation} or {@code payload}
   * @param components the components that publish it (empty for application-wide events)
   * @param data its data fields, in order
   */
  public record Entry(String type, String name, String kind, List<String> components, List<Field> data) {
    /** Copies the lists. */
    public Entry {
      Objects.requireNonNull(type, "type");
      components = List.copyOf(components);
      data = List.copyOf(data);
    }

    /** The names of the data fields, in order. */
    public List<String> fieldNames() {
      List<String> names = new ArrayList<>(data.size());
      for (Field f : data) {
        names.add(f.name());
      }
      return names;
    }
  }

  /**
   * One data field of an event type.
   *
   * @param name the field's name in {@code data}
   * @param type its JSON type: {@code string}, {@code number}, {@code integer}, {@code boolean} or
   *     {@code array}
   * @param nullable whether it may be {@code null}
   */
  public record Field(String name, String type, boolean nullable) {}

  /** The data fields of operation {@code .started} events. */
  public static List<Field> operationStartedFields() {
    return List.of(new Field("component", "string", false), new Field("operation", "string", false));
  }

  /** The data fields of operation {@code .completed} events. */
  public static List<Field> operationCompletedFields() {
    return List.of(new Field("component", "string", false), new Field("operation", "string", false),
        new Field("durationMs", "number", false));
  }

  /** The data fields of operation {@code .failed} events. */
  public static List<Field> operationFailedFields() {
    return List.of(new Field("component", "string", false), new Field("operation", "string", false),
        new Field("durationMs", "number", false), new Field("errorType", "string", false),
        new Field("errorMessage", "string", true));
  }

  /** The built-in events (lifecycle and health), relative to the prefix, in order. */
  static List<Entry> builtIn(String prefix) {
    List<Field> application = List.of(new Field("application", "string", false), new Field("from", "string", false),
        new Field("to", "string", false), new Field("durationMs", "number", true), new Field("reason", "string", true));
    List<Field> component = List.of(new Field("component", "string", false), new Field("critical", "boolean", false),
        new Field("from", "string", false), new Field("to", "string", false), new Field("durationMs", "number", true),
        new Field("errorType", "string", true), new Field("errorMessage", "string", true));
    List<Entry> list = new ArrayList<>();
    for (String verb : List.of("starting", "started", "draining", "stopping", "stopped", "failed")) {
      list.add(new Entry(prefix + ".application." + verb, "application." + verb, "application", List.of(), application));
    }
    for (String verb : List.of("starting", "started", "failed", "skipped", "stopping", "stopped")) {
      list.add(new Entry(prefix + ".component." + verb, "component." + verb, "component", List.of(), component));
    }
    list.add(new Entry(prefix + ".component.recovered", "component.recovered", "component", List.of(),
        List.of(new Field("component", "string", false), new Field("critical", "boolean", false),
            new Field("reason", "string", false), new Field("attempts", "number", false),
            new Field("downtimeMs", "number", false), new Field("errorType", "string", true),
            new Field("errorMessage", "string", true))));
    list.add(new Entry(prefix + ".resource.loaded", "resource.loaded", "resource", List.of(),
        List.of(new Field("component", "string", false), new Field("resource", "string", false),
            new Field("version", "string", false), new Field("loadMs", "number", false),
            new Field("warmUpMs", "number", false))));
    list.add(new Entry(prefix + ".resource.swapped", "resource.swapped", "resource", List.of(),
        List.of(new Field("component", "string", false), new Field("resource", "string", false),
            new Field("from", "string", false), new Field("to", "string", false))));
    list.add(new Entry(prefix + ".resource.swap-failed", "resource.swap-failed", "resource", List.of(),
        List.of(new Field("component", "string", false), new Field("resource", "string", false),
            new Field("version", "string", true), new Field("current", "string", true),
            new Field("reason", "string", false), new Field("errorMessage", "string", false))));
    list.add(new Entry(prefix + ".resource.unloaded", "resource.unloaded", "resource", List.of(),
        List.of(new Field("component", "string", false), new Field("resource", "string", false),
            new Field("version", "string", false), new Field("forced", "boolean", false),
            new Field("totalUses", "integer", false), new Field("errorMessage", "string", true))));
    list.add(new Entry(prefix + ".health.changed", "health.changed", "health", List.of(),
        List.of(new Field("application", "string", false), new Field("from", "string", true),
            new Field("to", "string", false))));
    list.add(new Entry(prefix + ".health.check.changed", "health.check.changed", "health", List.of(),
        List.of(new Field("component", "string", false), new Field("check", "string", false),
            new Field("critical", "boolean", false), new Field("from", "string", true),
            new Field("to", "string", false), new Field("errorMessage", "string", true))));
    list.add(new Entry(prefix + ".metric.recorded", "metric.recorded", "metric", List.of(),
        List.of(new Field("application", "string", false), new Field("state", "string", false),
            new Field("uptimeMs", "number", false), new Field("health", "string", false),
            new Field("inFlight", "number", false), new Field("eventsPublished", "number", false),
            new Field("eventsDropped", "number", false), new Field("components", "array", false),
            new Field("resources", "array", false))));
    return list;
  }

  /** The built-in events and every {@value #RESOURCE} that {@code loader} finds, with {@code prefix}. */
  public static EventCatalog load(ClassLoader loader, String prefix) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> conflicts = new ArrayList<>();
    for (Entry e : builtIn(prefix)) {
      entries.put(e.name(), e);
    }
    Map<String, Entry> declared = new TreeMap<>();
    try {
      Enumeration<URL> resources = loader.getResources(RESOURCE);
      while (resources.hasMoreElements()) {
        URL url = resources.nextElement();
        try (InputStream in = url.openStream()) {
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          for (Entry e : parse(text, prefix)) {
            merge(declared, entries, e, url, conflicts);
          }
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.WARNING, "Cannot read the event catalog " + url + "; its events are not listed", e);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot list the event catalogs on the class path", e);
    }
    entries.putAll(declared);
    return new EventCatalog(entries, conflicts);
  }

  private static void merge(Map<String, Entry> declared, Map<String, Entry> builtIn, Entry e, URL from,
      List<String> conflicts) {
    if (builtIn.containsKey(e.name())) {
      conflicts.add(e.name() + " in " + from + " is a built-in event type");
      return;
    }
    Entry known = declared.get(e.name());
    if (known == null) {
      declared.put(e.name(), e);
    } else if (!known.data().equals(e.data())) {
      String conflict = e.name() + " is declared with data " + e.fieldNames() + " by " + e.components() + " (" + from
          + ") and with data " + known.fieldNames() + " by " + known.components();
      conflicts.add(conflict);
      LOG.log(Level.WARNING, "Conflicting event declarations: " + conflict + "; the first is listed");
    } else {
      TreeSet<String> components = new TreeSet<>(known.components());
      components.addAll(e.components());
      declared.put(e.name(), new Entry(known.type(), known.name(), known.kind(), List.copyOf(components), known.data()));
    }
  }

  /** Every event type, built-in ones first, then the declared ones by name. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The full types, in {@link #entries()} order. */
  public List<String> types() {
    List<String> types = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      types.add(e.type());
    }
    return types;
  }

  /** The entry of the full type {@code type}. */
  public Optional<Entry> entry(String type) {
    for (Entry e : entries.values()) {
      if (e.type().equals(type)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Types that modules declared with different data; empty when consistent. */
  public List<String> conflicts() {
    return conflicts;
  }

  /** The catalog as JSON, with full types. */
  public String toJson() {
    JsonWriter json = new JsonWriter().beginObject().beginArray("events");
    for (Entry e : entries.values()) {
      json.beginObject().member("type", e.type()).member("kind", e.kind()).member("components", e.components())
          .beginArray("data");
      for (Field f : e.data()) {
        json.beginObject().member("name", f.name()).member("type", f.type()).member("nullable", f.nullable())
            .endObject();
      }
      json.endArray().endObject();
    }
    return json.endArray().endObject().toString();
  }

  @Override
  public String toString() {
    return "EventCatalog" + types();
  }

  // --- reading the processor's JSON ---

  /**
   * The entries of one {@value #RESOURCE}, with {@code prefix}.
   *
   * @throws IllegalArgumentException if the text is not JSON, or not of the catalog's shape (the
   *     message says where: {@code events[2].data[0].name: expected a string, found a number})
   */
  static List<Entry> parse(String json, String prefix) {
    Map<String, Object> root = object(JsonReader.parse(json), "the catalog");
    List<Entry> list = new ArrayList<>();
    List<Object> events = array(root.get("events"), "events");
    for (int i = 0; i < events.size(); i++) {
      String at = "events[" + i + "]";
      Map<String, Object> event = object(events.get(i), at);
      String name = string(event.get("type"), at + ".type");
      Object kind = event.get("kind");
      List<String> components = new ArrayList<>();
      if (event.get("components") != null) {
        List<Object> c = array(event.get("components"), at + ".components");
        for (int k = 0; k < c.size(); k++) {
          components.add(string(c.get(k), at + ".components[" + k + "]"));
        }
      }
      List<Field> fields = new ArrayList<>();
      if (event.get("data") != null) {
        List<Object> d = array(event.get("data"), at + ".data");
        for (int k = 0; k < d.size(); k++) {
          String fieldAt = at + ".data[" + k + "]";
          Map<String, Object> f = object(d.get(k), fieldAt);
          Object nullable = f.get("nullable");
          if (nullable != null && !(nullable instanceof Boolean)) {
            throw shape(fieldAt + ".nullable", "true or false", nullable);
          }
          fields.add(new Field(string(f.get("name"), fieldAt + ".name"), string(f.get("type"), fieldAt + ".type"),
              Boolean.TRUE.equals(nullable)));
        }
      }
      list.add(new Entry(prefix + "." + name, name, kind == null ? "operation" : string(kind, at + ".kind"),
          components, fields));
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String at) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw shape(at, "an object", value);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> array(Object value, String at) {
    if (value instanceof List) {
      return (List<Object>) value;
    }
    throw shape(at, "an array", value);
  }

  private static String string(Object value, String at) {
    if (value instanceof String) {
      return (String) value;
    }
    throw shape(at, "a string", value);
  }

  private static IllegalArgumentException shape(String at, String expected, Object found) {
    String what = found == null ? "nothing (missing or null)"
        : found instanceof Map ? "an object"
        : found instanceof List ? "an array"
        : found instanceof String ? "a string"
        : found instanceof Boolean ? "a boolean"
        : "a number";
    return new IllegalArgumentException(at + ": expected " + expected + ", found " + what);
  }
}

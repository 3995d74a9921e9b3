package dev.ordo.runtime.events;

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
   * @param kind {@code application}, {@code component}, {@code health}, {@code operation} or
   *     {@code payload}
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
   * @param type its JSON type: {@code string}, {@code number}, {@code integer} or {@code boolean}
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
    list.add(new Entry(prefix + ".health.changed", "health.changed", "health", List.of(),
        List.of(new Field("application", "string", false), new Field("from", "string", true),
            new Field("to", "string", false))));
    list.add(new Entry(prefix + ".health.check.changed", "health.check.changed", "health", List.of(),
        List.of(new Field("component", "string", false), new Field("check", "string", false),
            new Field("critical", "boolean", false), new Field("from", "string", true),
            new Field("to", "string", false), new Field("errorMessage", "string", true))));
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
    StringBuilder out = new StringBuilder("{\"events\":[");
    boolean first = true;
    for (Entry e : entries.values()) {
      out.append(first ? "" : ",");
      first = false;
      out.append("{\"type\":");
      EventJson.string(out, e.type());
      out.append(",\"kind\":");
      EventJson.string(out, e.kind());
      out.append(",\"components\":");
      EventJson.value(out, e.components());
      out.append(",\"data\":[");
      for (int i = 0; i < e.data().size(); i++) {
        Field f = e.data().get(i);
        out.append(i == 0 ? "" : ",").append("{\"name\":");
        EventJson.string(out, f.name());
        out.append(",\"type\":");
        EventJson.string(out, f.type());
        out.append(",\"nullable\":").append(f.nullable()).append('}');
      }
      out.append("]}");
    }
    return out.append("]}").toString();
  }

  @Override
  public String toString() {
    return "EventCatalog" + types();
  }

  // --- reading the processor's JSON: a small parser for the shape it writes ---

  @SuppressWarnings("unchecked")
  static List<Entry> parse(String json, String prefix) {
    Object root = new Parser(json).document();
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    Object events = ((Map<String, Object>) root).get("events");
    if (!(events instanceof List)) {
      throw new IllegalArgumentException("expected an \"events\" array");
    }
    List<Entry> list = new ArrayList<>();
    for (Object o : (List<Object>) events) {
      Map<String, Object> event = (Map<String, Object>) o;
      String name = (String) event.get("type");
      List<String> components = new ArrayList<>();
      Object c = event.get("components");
      if (c instanceof List) {
        for (Object x : (List<Object>) c) {
          components.add((String) x);
        }
      }
      List<Field> fields = new ArrayList<>();
      Object d = event.get("data");
      if (d instanceof List) {
        for (Object x : (List<Object>) d) {
          Map<String, Object> f = (Map<String, Object>) x;
          fields.add(new Field((String) f.get("name"), (String) f.get("type"), Boolean.TRUE.equals(f.get("nullable"))));
        }
      }
      Object kind = event.get("kind");
      list.add(new Entry(prefix + "." + name, name, kind == null ? "operation" : (String) kind, components, fields));
    }
    return list;
  }

  /** Objects, arrays, strings, true, false, null and numbers (as text). */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Object document() {
      Object v = value();
      space();
      if (i != s.length()) {
        throw error("trailing text");
      }
      return v;
    }

    private Object value() {
      space();
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek('}')) {
          return map;
        }
        do {
          space();
          String key = string();
          space();
          expect(':');
          map.put(key, value());
          space();
        } while (take(','));
        expect('}');
        return map;
      }
      if (c == '[') {
        i++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek(']')) {
          return list;
        }
        do {
          list.add(value());
          space();
        } while (take(','));
        expect(']');
        return list;
      }
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (start == i) {
        throw error("unexpected '" + c + "'");
      }
      return s.substring(start, i);
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n':
            out.append('\n');
            break;
          case 't':
            out.append('\t');
            break;
          case 'r':
            out.append('\r');
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'u':
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default:
            out.append(e);
        }
      }
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private boolean peek(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private boolean take(char c) {
      return peek(c);
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at offset " + i);
    }
  }
}

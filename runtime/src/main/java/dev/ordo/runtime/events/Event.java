package dev.ordo.runtime.events;

import dev.ordo.runtime.engine.json.JsonWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event, as a <a href="https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md">CloudEvents
 * 1.0</a> envelope. {@link #toJson()} writes it in the CloudEvents JSON format (structured mode):
 *
 * <pre>{@code
 * {"specversion":"1.0","id":"5f0c2a9e-17","source":"/ordo/web-1/4711","type":"dev.ordo.checkout.completed",
 *  "time":"2026-11-22T08:49:25.123456Z","subject":"com.acme.CheckoutService",
 *  "datacontenttype":"application/json","correlationid":"c0ffee",
 *  "data":{"component":"com.acme.CheckoutService","operation":"checkout","durationMs":12.345}}
 * }</pre>
 *
 * @param id unique among the events of {@code source}
 * @param source a URI reference naming the application instance ({@code ordo.events.source})
 * @param type the event type, {@code <type-prefix>.<name>}, such as {@code dev.ordo.component.started}
 * @param time when it happened, written in RFC 3339 form, UTC
 * @param subject the component the event is about (its name), or {@code null}
 * @param correlationId the {@code correlationid} extension: the operation's correlation id, or the
 *     application run's id for lifecycle and health events
 * @param data the data, in order; values are strings, numbers, booleans or {@code null}
 * @since 0.1
 */
public record Event(
    String id,
    String source,
    String type,
    Instant time,
    String subject,
    String correlationId,
    Map<String, Object> data) {
  /** The CloudEvents version of every Ordo event. */
  public static final String SPEC_VERSION = "1.0";
  /** The content type of every Ordo event's data. */
  public static final String DATA_CONTENT_TYPE = "application/json";

  /** Checks the required attributes. */
  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /** {@value #SPEC_VERSION}. */
  public String specVersion() {
    return SPEC_VERSION;
  }

  /** {@value #DATA_CONTENT_TYPE}. */
  public String dataContentType() {
    return DATA_CONTENT_TYPE;
  }

  /** The value of the data field {@code name}, or {@code null}. */
  public Object get(String name) {
    return data.get(name);
  }

  /** The event in the CloudEvents JSON format, on one line. */
  public String toJson() {
    StringBuilder out = new StringBuilder(256);
    appendJson(out);
    return out.toString();
  }

  /** Appends {@link #toJson()} to {@code out}, without building an intermediate string. */
  public void appendJson(StringBuilder out) {
    out.append("{\"specversion\":\"1.0\",\"id\":");
    JsonWriter.string(out, id);
    out.append(",\"source\":");
    JsonWriter.string(out, source);
    out.append(",\"type\":");
    JsonWriter.string(out, type);
    out.append(",\"time\":\"").append(time).append('"');
    if (subject != null) {
      out.append(",\"subject\":");
      JsonWriter.string(out, subject);
    }
    out.append(",\"datacontenttype\":\"application/json\"");
    if (correlationId != null) {
      out.append(",\"correlationid\":");
      JsonWriter.string(out, correlationId);
    }
    out.append(",\"data\":");
    JsonWriter.value(out, data);
    out.append('}');
  }

  @Override
  public String toString() {
    return toJson();
  }
}

package dev.ordo.runtime.engine;

import dev.ordo.runtime.Timeline;
import dev.ordo.runtime.engine.json.JsonWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The two written forms of a {@link Timeline}: JSON, and a self-contained HTML page (inline CSS
 * and SVG, no script, nothing fetched). Pure functions of the timeline; not API (the timeline's
 * {@code toJson()} and {@code toHtml()} are).
 */
public final class TimelineReport {
  private TimelineReport() {}

  // ---------------------------------------------------------------------------------------------
  // JSON

  /** The timeline as JSON; times are milliseconds (to the microsecond) since {@code origin}. */
  public static String json(Timeline t) {
    StringBuilder j = new StringBuilder(256 + 400 * t.components().size());
    j.append("{\"unit\":\"ms\",\"origin\":");
    JsonWriter.string(j, t.origin().toString());
    j.append(",\"phases\":{");
    j.append("\"startupEnded\":").append(ms(t.startupEnded()));
    j.append(",\"shutdownBegan\":").append(ms(t.shutdownBegan()));
    j.append(",\"drainBegan\":").append(ms(t.drainBegan()));
    j.append(",\"drainEnded\":").append(ms(t.drainEnded()));
    j.append(",\"stopPhaseBegan\":").append(ms(t.stopPhaseBegan()));
    j.append(",\"shutdownEnded\":").append(ms(t.shutdownEnded()));
    j.append("},\"startupDuration\":").append(ms(t.startupDuration()));
    j.append(",\"shutdownDuration\":").append(ms(t.shutdownDuration()));
    j.append(",\"criticalPath\":");
    JsonWriter.value(j, t.criticalPath());
    j.append(",\"shutdownCriticalPath\":");
    JsonWriter.value(j, t.shutdownCriticalPath());
    j.append(",\"components\":[");
    for (int i = 0; i < t.components().size(); i++) {
      Timeline.Component c = t.components().get(i);
      j.append(i == 0 ? "" : ",").append("{\"name\":");
      JsonWriter.string(j, c.name());
      j.append(",\"critical\":").append(c.critical());
      j.append(",\"startup\":");
      span(j, c.startup());
      j.append(",\"shutdown\":");
      span(j, c.shutdown());
      j.append(",\"healthCheck\":");
      span(j, c.healthCheck());
      j.append('}');
    }
    return j.append("]}").toString();
  }

  private static void span(StringBuilder j, Optional<Timeline.Span> span) {
    if (span.isEmpty()) {
      j.append("null");
      return;
    }
    Timeline.Span s = span.get();
    j.append("{\"outcome\":\"").append(s.outcome()).append('"');
    j.append(",\"ready\":").append(ms(s.ready()));
    j.append(",\"began\":").append(ms(s.began()));
    j.append(",\"ended\":").append(ms(s.ended()));
    j.append(",\"readyAfter\":");
    JsonWriter.value(j, s.readyAfter().orElse(null));
    j.append(",\"waited\":").append(ms(s.waited()));
    j.append(",\"queued\":").append(ms(s.queued()));
    j.append(",\"ran\":").append(ms(s.ran()));
    j.append('}');
  }

  private static String ms(Optional<Duration> d) {
    return d.isEmpty() ? "null" : ms(d.get());
  }

  private static String ms(Duration d) {
    return BigDecimal.valueOf(d.toNanos() / 1000).movePointLeft(3).toPlainString();
  }

  // ---------------------------------------------------------------------------------------------
  // HTML

  private static final int WIDTH = 1100;
  private static final int LABEL = 260;
  private static final int ROW = 24;
  private static final int AXIS = 28;
  /** Room right of the time axis for the marks of failures, skips and timeouts. */
  private static final int RIGHT = 110;

  /** The timeline as a self-contained HTML page. */
  public static String html(Timeline t) {
    StringBuilder h = new StringBuilder(4096 + 1200 * t.components().size());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    h.append("<title>Ordo timeline</title>\n<style>\n");
    h.append("body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#111827;background:#fff}\n");
    h.append("h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 6px}.meta{color:#4b5563;margin:0 0 8px}\n");
    h.append("svg{display:block;max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#111827}\n");
    h.append("svg text.critical{font-weight:700}svg text.tick{fill:#6b7280;font-size:11px}\n");
    h.append(".grid{stroke:#e5e7eb}.row:nth-child(odd) .band{fill:#f9fafb}.band{fill:#fff}\n");
    h.append(".wait{fill:#e5e7eb}.queue{fill:#bfdbfe}.marker{stroke:#111827;stroke-dasharray:4 3}\n");
    h.append(".bar.ok{fill:#2563eb}.bar.failed{fill:#dc2626}.bar.timed_out{fill:#ea580c}.bar.skipped{fill:#9ca3af}\n");
    h.append(".bar.cancelled{fill:#7c3aed}.bar.in_progress{fill:#d1d5db}.bar.path{stroke:#f59e0b;stroke-width:3}\n");
    h.append(".check.ok{fill:#16a34a}.check.failed{fill:#dc2626}.check.timed_out{fill:#ea580c}.check.in_progress{fill:#d1d5db}\n");
    h.append(".drain{fill:#f59e0b;fill-opacity:.12}.legend span{display:inline-block;margin-right:14px}\n");
    h.append(".sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:4px}\n");
    h.append("table{border-collapse:collapse;margin-top:8px}th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:right}\n");
    h.append("th{background:#f3f4f6}td.name,th.name{text-align:left}tr.path td.name{font-weight:700;color:#b45309}\n");
    h.append("td.failed,td.timed_out,td.cancelled{color:#b91c1c;font-weight:600}td.skipped{color:#6b7280}\n");
    h.append("</style>\n</head>\n<body>\n");
    h.append("<h1>Ordo timeline</h1>\n<p class=\"meta\">").append(t.components().size()).append(" components; started at ")
        .append(esc(t.origin().toString()));
    t.startupDuration().ifPresent(d -> h.append("; startup took ").append(human(d)));
    t.shutdownDuration().ifPresent(d -> h.append("; shutdown took ").append(human(d)));
    h.append("</p>\n");
    if (!t.criticalPath().isEmpty()) {
      h.append("<p class=\"meta\">Startup critical path (measured): ").append(esc(String.join(" \u2192 ", t.criticalPath())))
          .append("</p>\n");
    }
    if (!t.shutdownCriticalPath().isEmpty()) {
      h.append("<p class=\"meta\">Stop phase critical path (measured): ")
          .append(esc(String.join(" \u2192 ", t.shutdownCriticalPath()))).append("</p>\n");
    }
    h.append("<p class=\"legend\">");
    legend(h, "#e5e7eb", "waiting on dependencies");
    legend(h, "#bfdbfe", "waiting for a thread");
    legend(h, "#2563eb", "ran: ok");
    legend(h, "#dc2626", "failed");
    legend(h, "#ea580c", "timed out");
    legend(h, "#9ca3af", "skipped");
    legend(h, "#7c3aed", "cancelled");
    legend(h, "#16a34a", "first health check: UP");
    h.append("<span><span class=\"sw\" style=\"background:#fff;border:3px solid #f59e0b;width:8px;height:8px\"></span>"
        + "critical path</span></p>\n");

    h.append("<h2>Startup</h2>\n");
    Duration startEnd = t.startupEnded().orElse(Duration.ZERO);
    for (Timeline.Component c : t.components()) {
      startEnd = max(startEnd, end(c.startup()));
      startEnd = max(startEnd, end(c.healthCheck()));
    }
    chart(h, t, "startup", Duration.ZERO, startEnd, true);
    if (t.shutdownBegan().isPresent()) {
      h.append("<h2>Shutdown</h2>\n");
      Duration from = t.shutdownBegan().get();
      Duration to = t.shutdownEnded().orElse(from);
      for (Timeline.Component c : t.components()) {
        to = max(to, end(c.shutdown()));
      }
      chart(h, t, "shutdown", from, to, false);
    }
    table(h, t);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void legend(StringBuilder h, String color, String what) {
    h.append("<span><span class=\"sw\" style=\"background:").append(color).append("\"></span>").append(what).append("</span>");
  }

  private static Duration end(Optional<Timeline.Span> s) {
    return s.map(x -> x.ended().orElse(x.began().orElse(x.ready()))).orElse(Duration.ZERO);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** One Gantt chart: a row per component, time from {@code from} to {@code to} across. */
  private static void chart(StringBuilder h, Timeline t, String id, Duration from, Duration to, boolean startup) {
    List<Timeline.Component> cs = t.components();
    int height = AXIS + ROW * cs.size() + 8;
    long span = Math.max(1, to.minus(from).toNanos());
    double scale = (WIDTH - LABEL - RIGHT) / (double) span;
    Set<String> path = new HashSet<>(startup ? t.criticalPath() : t.shutdownCriticalPath());
    h.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH)
        .append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-label=\"").append(startup ? "Startup" : "Shutdown").append(" timeline\">\n");
    // Axis: five ticks.
    for (int k = 0; k <= 5; k++) {
      double x = LABEL + (WIDTH - LABEL - RIGHT) * k / 5.0;
      h.append("<line class=\"grid\" x1=\"").append(fmt(x)).append("\" y1=\"").append(AXIS - 6).append("\" x2=\"")
          .append(fmt(x)).append("\" y2=\"").append(height).append("\"/>");
      h.append("<text class=\"tick\" x=\"").append(fmt(x)).append("\" y=\"").append(AXIS - 10)
          .append("\" text-anchor=\"middle\">").append(human(Duration.ofNanos(span * k / 5))).append("</text>\n");
    }
    for (int r = 0; r < cs.size(); r++) {
      Timeline.Component c = cs.get(r);
      int y = AXIS + r * ROW;
      String name = esc(c.name());
      h.append("<g class=\"row\"><rect class=\"band\" x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH)
          .append("\" height=\"").append(ROW).append("\"/>");
      h.append("<text").append(c.critical() ? " class=\"critical\"" : "").append(" x=\"6\" y=\"").append(y + 16)
          .append("\">").append(esc(shorten(c.name()))).append(c.critical() ? " \u25c6" : "")
          .append("<title>").append(name).append(c.critical() ? " (critical)" : "").append("</title></text>");
      Optional<Timeline.Span> span0 = startup ? c.startup() : c.shutdown();
      if (span0.isPresent()) {
        Timeline.Span s = span0.get();
        Duration phaseStart = startup ? Duration.ZERO : t.stopPhaseBegan().orElse(from);
        double xPhase = LABEL + scale * Math.max(0, phaseStart.minus(from).toNanos());
        double xReady = LABEL + scale * Math.max(0, s.ready().minus(from).toNanos());
        double xBegan = LABEL + scale * Math.max(0, s.began().orElse(s.ready()).minus(from).toNanos());
        double xEnded = LABEL + scale * Math.max(0, s.ended().orElse(to).minus(from).toNanos());
        if (xReady > xPhase) {
          h.append("<rect class=\"wait\" x=\"").append(fmt(xPhase)).append("\" y=\"").append(y + 9).append("\" width=\"")
              .append(fmt(xReady - xPhase)).append("\" height=\"6\"><title>").append(name).append(" waited ")
              .append(human(s.waited())).append(" on its ").append(startup ? "dependencies" : "dependents")
              .append(s.readyAfter().map(a -> " (last: " + esc(a) + ")").orElse("")).append("</title></rect>");
        }
        if (xBegan > xReady) {
          h.append("<rect class=\"queue\" x=\"").append(fmt(xReady)).append("\" y=\"").append(y + 7).append("\" width=\"")
              .append(fmt(xBegan - xReady)).append("\" height=\"10\"><title>").append(name).append(" waited ")
              .append(human(s.queued())).append(" for a thread</title></rect>");
        }
        String outcome = s.outcome().name().toLowerCase(Locale.ROOT);
        h.append("<rect class=\"bar ").append(outcome).append(path.contains(c.name()) ? " path" : "")
            .append("\" data-component=\"").append(name).append("\" data-phase=\"").append(id)
            .append("\" data-outcome=\"").append(s.outcome()).append("\" x=\"").append(fmt(xBegan)).append("\" y=\"")
            .append(y + 4).append("\" width=\"").append(fmt(Math.max(3, xEnded - xBegan))).append("\" height=\"")
            .append(startup && c.healthCheck().isPresent() ? 12 : 16).append("\" rx=\"2\"><title>")
            .append(name).append(startup ? " start: " : " stop: ").append(s.outcome())
            .append("; ready ").append(human(s.ready())).append(", began ")
            .append(s.began().map(TimelineReport::human).orElse("never")).append(", ended ")
            .append(s.ended().map(TimelineReport::human).orElse("not yet")).append("; ran ").append(human(s.ran()))
            .append(path.contains(c.name()) ? "; on the critical path" : "").append("</title></rect>");
        if (s.outcome() != Timeline.Outcome.OK && s.outcome() != Timeline.Outcome.IN_PROGRESS) {
          h.append("<text x=\"").append(fmt(Math.max(xBegan, xEnded) + 6)).append("\" y=\"").append(y + 16)
              .append("\">").append(mark(s.outcome())).append("</text>");
        }
      }
      if (startup && c.healthCheck().isPresent()) {
        Timeline.Span s = c.healthCheck().get();
        double xBegan = LABEL + scale * Math.max(0, s.began().orElse(s.ready()).minus(from).toNanos());
        double xEnded = LABEL + scale * Math.max(0, s.ended().orElse(to).minus(from).toNanos());
        h.append("<rect class=\"check ").append(s.outcome().name().toLowerCase(Locale.ROOT))
            .append("\" data-component=\"").append(name).append("\" data-phase=\"health\" x=\"").append(fmt(xBegan))
            .append("\" y=\"").append(y + 17).append("\" width=\"").append(fmt(Math.max(3, xEnded - xBegan)))
            .append("\" height=\"5\"><title>").append(name).append(" first health check: ")
            .append(s.outcome() == Timeline.Outcome.OK ? "UP" : s.outcome().toString())
            .append(", began ").append(s.began().map(TimelineReport::human).orElse("never"))
            .append(", ran ").append(human(s.ran())).append("</title></rect>");
      }
      h.append("</g>\n");
    }
    // The drain, over the rows (translucent): work in flight finishing while new work is refused.
    if (!startup && t.drainBegan().isPresent()) {
      double x1 = LABEL + scale * Math.max(0, t.drainBegan().get().minus(from).toNanos());
      double x2 = LABEL + scale * Math.max(0, t.drainEnded().orElse(t.drainBegan().get()).minus(from).toNanos());
      h.append("<rect class=\"drain\" x=\"").append(fmt(x1)).append("\" y=\"").append(AXIS - 4).append("\" width=\"")
          .append(fmt(Math.max(1, x2 - x1))).append("\" height=\"").append(height - AXIS + 4)
          .append("\"><title>drain: ").append(human(t.drainEnded().orElse(t.drainBegan().get()).minus(t.drainBegan().get())))
          .append("</title></rect>\n");
    }
    if (startup && t.startupEnded().isPresent()) {
      double x = LABEL + scale * t.startupEnded().get().toNanos();
      h.append("<line class=\"marker\" x1=\"").append(fmt(x)).append("\" y1=\"").append(AXIS - 4).append("\" x2=\"")
          .append(fmt(x)).append("\" y2=\"").append(height).append("\"><title>startup ended at ")
          .append(human(t.startupEnded().get())).append("</title></line>\n");
    }
    h.append("</svg>\n");
  }

  private static String mark(Timeline.Outcome o) {
    switch (o) {
      case FAILED:
        return "\u2716 failed";
      case TIMED_OUT:
        return "\u23f1 timed out";
      case SKIPPED:
        return "\u21b7 skipped";
      case CANCELLED:
        return "\u2298 cancelled";
      default:
        return o.toString();
    }
  }

  private static void table(StringBuilder h, Timeline t) {
    h.append("<h2>Exact numbers (milliseconds since start())</h2>\n<table>\n<thead><tr><th class=\"name\">component</th>");
    h.append("<th>start</th><th>waited</th><th>queued</th><th>began</th><th>ran</th><th>ended</th>");
    h.append("<th>stop</th><th>ready</th><th>ran</th><th>ended</th><th>health</th><th>ran</th></tr></thead>\n<tbody>\n");
    Set<String> path = new HashSet<>(t.criticalPath());
    for (Timeline.Component c : t.components()) {
      h.append("<tr").append(path.contains(c.name()) ? " class=\"path\"" : "").append("><td class=\"name\">")
          .append(esc(c.name())).append(c.critical() ? " (critical)" : "").append("</td>");
      if (c.startup().isPresent()) {
        Timeline.Span s = c.startup().get();
        outcomeCell(h, s.outcome());
        h.append("<td>").append(ms(s.waited())).append("</td><td>").append(ms(s.queued())).append("</td><td>")
            .append(s.began().map(TimelineReport::ms).orElse("")).append("</td><td>").append(ms(s.ran()))
            .append("</td><td>").append(s.ended().map(TimelineReport::ms).orElse("")).append("</td>");
      } else {
        h.append("<td></td><td></td><td></td><td></td><td></td><td></td>");
      }
      if (c.shutdown().isPresent()) {
        Timeline.Span s = c.shutdown().get();
        outcomeCell(h, s.outcome());
        h.append("<td>").append(ms(s.ready())).append("</td><td>").append(ms(s.ran())).append("</td><td>")
            .append(s.ended().map(TimelineReport::ms).orElse("")).append("</td>");
      } else {
        h.append("<td></td><td></td><td></td><td></td>");
      }
      if (c.healthCheck().isPresent()) {
        Timeline.Span s = c.healthCheck().get();
        outcomeCell(h, s.outcome());
        h.append("<td>").append(ms(s.ran())).append("</td>");
      } else {
        h.append("<td></td><td></td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
  }

  private static void outcomeCell(StringBuilder h, Timeline.Outcome o) {
    String cls = o.name().toLowerCase(Locale.ROOT);
    h.append("<td class=\"").append(cls).append("\">").append(cls.replace('_', ' ')).append("</td>");
  }

  /** A long name shortened for the chart's label column (the title and the table hold it whole). */
  private static String shorten(String name) {
    if (name.length() <= 34) {
      return name;
    }
    int dot = name.lastIndexOf('.', name.length() - 20);
    String tail = dot > 0 ? name.substring(dot + 1) : name.substring(name.length() - 32);
    tail = tail.length() > 33 ? tail.substring(tail.length() - 33) : tail;
    // Never half of a surrogate pair (an emoji in the name): the cut moves past it.
    return "\u2026" + (Character.isLowSurrogate(tail.charAt(0)) ? tail.substring(1) : tail);
  }

  private static String human(Duration d) {
    long micros = d.toNanos() / 1000;
    if (micros < 1000) {
      return micros + " \u00b5s";
    }
    if (micros < 10_000_000) {
      return BigDecimal.valueOf(micros).movePointLeft(3).setScale(micros < 100_000 ? 1 : 0, java.math.RoundingMode.HALF_UP)
          .toPlainString() + " ms";
    }
    return BigDecimal.valueOf(micros).movePointLeft(6).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString() + " s";
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.1f", x);
  }

  /**
   * Text or an attribute value with {@code & < > " '} escaped. A character that no HTML or XML
   * document may hold, even as a reference (a control character other than tab, line feed and
   * carriage return, or half of a surrogate pair), becomes U+FFFD, so that the page stays
   * well-formed whatever a component's name holds; the JSON form keeps the name exactly.
   */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
        continue;
      }
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)
          || c == '\ufffe' || c == '\uffff') {
        b.append('\ufffd');
        continue;
      }
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&#39;");
          break;
        default:
          b.append(c);
      }
    }
    return b.toString();
  }
}

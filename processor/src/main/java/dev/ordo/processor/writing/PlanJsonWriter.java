package dev.ordo.processor.writing;

import dev.ordo.processor.kubernetes.Kubernetes;
import dev.ordo.processor.kubernetes.TimeoutPath;
import dev.ordo.processor.model.ComponentDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code META-INF/ordo/plan.json}, the startup plan of each application of a compilation
 * ({@link StartupPlan}). Durations are written as {@code 500ms}, {@code 10s}, {@code 2m}; a hook
 * without a timeout of its own shows the default and {@code "declared": false}; a component
 * without the hook has {@code null}. The critical paths list the components in the order their
 * hooks run (startup: dependencies first; shutdown: dependents first).
 *
 * <pre>
 * {
 *   "applications": [
 *     {
 *       "name": "com.acme.Shop",
 *       "defaults": {"startupTimeout": "60s", "shutdownTimeout": "10s"},
 *       "waves": [["Pool"], ["Store"], ["Api"]],
 *       "components": [
 *         {
 *           "name": "Pool", "class": "com.acme.Pool", "critical": true, "wave": 0,
 *           "dependsOn": [], "dependsOnOptionally": [],
 *           "startup": {"method": "open", "timeout": "20s", "declared": true},
 *           "shutdown": null
 *         }
 *       ],
 *       "startupCriticalPath": {"total": "25s", "components": [{"name": "Pool", "timeout": "20s"}, ...]},
 *       "shutdownCriticalPath": {"total": "0s", "components": []}
 *     }
 *   ]
 * }
 * </pre>
 */
public final class PlanJsonWriter {
  private PlanJsonWriter() {}

  /** The JSON text of {@code plans}. */
  public static String write(List<StartupPlan> plans) {
    StringBuilder j = new StringBuilder("{\n  \"applications\": [");
    for (int p = 0; p < plans.size(); p++) {
      StartupPlan plan = plans.get(p);
      j.append(p == 0 ? "\n" : ",\n").append("    {\n");
      j.append("      \"name\": ").append(JsonText.quote(plan.application())).append(",\n");
      j.append("      \"defaults\": {\"startupTimeout\": ").append(duration(plan.startupDefault()))
          .append(", \"shutdownTimeout\": ").append(duration(plan.shutdownDefault())).append("},\n");
      j.append("      \"waves\": [");
      for (int w = 0; w < plan.waves().size(); w++) {
        j.append(w == 0 ? "" : ", ").append('[');
        List<Integer> wave = plan.waves().get(w);
        for (int k = 0; k < wave.size(); k++) {
          j.append(k == 0 ? "" : ", ").append(JsonText.quote(plan.components().get(wave.get(k)).name()));
        }
        j.append(']');
      }
      j.append("],\n");
      j.append("      \"components\": [");
      for (int i = 0; i < plan.components().size(); i++) {
        StartupPlan.Component c = plan.components().get(i);
        ComponentDescriptor d = c.descriptor();
        j.append(i == 0 ? "\n" : ",\n").append("        {\n");
        j.append("          \"name\": ").append(JsonText.quote(c.name())).append(",\n");
        j.append("          \"class\": ").append(JsonText.quote(d.name().binaryName())).append(",\n");
        j.append("          \"critical\": ").append(d.critical()).append(",\n");
        j.append("          \"wave\": ").append(c.wave()).append(",\n");
        j.append("          \"dependsOn\": ").append(names(plan, c.hard())).append(",\n");
        j.append("          \"dependsOnOptionally\": ").append(names(plan, c.soft())).append(",\n");
        j.append("          \"startup\": ").append(hook(d.startup(), plan.startupDefault())).append(",\n");
        j.append("          \"shutdown\": ").append(hook(d.shutdown(), plan.shutdownDefault())).append('\n');
        j.append("        }");
      }
      j.append(plan.components().isEmpty() ? "],\n" : "\n      ],\n");
      j.append("      \"startupCriticalPath\": ").append(path(plan.startupPath())).append(",\n");
      j.append("      \"shutdownCriticalPath\": ").append(path(plan.shutdownPath())).append('\n');
      j.append("    }");
    }
    return j.append(plans.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
  }

  private static String names(StartupPlan plan, int[] indices) {
    StringBuilder j = new StringBuilder("[");
    for (int k = 0; k < indices.length; k++) {
      j.append(k == 0 ? "" : ", ").append(JsonText.quote(plan.components().get(indices[k]).name()));
    }
    return j.append(']').toString();
  }

  private static String hook(Optional<ComponentDescriptor.Hook> hook, Duration fallback) {
    if (hook.isEmpty()) {
      return "null";
    }
    ComponentDescriptor.Hook h = hook.get();
    return "{\"method\": " + JsonText.quote(h.method()) + ", \"timeout\": " + duration(h.timeout().orElse(fallback))
        + ", \"declared\": " + h.timeout().isPresent() + "}";
  }

  private static String path(TimeoutPath path) {
    StringBuilder j = new StringBuilder("{\"total\": ").append(duration(path.total())).append(", \"components\": [");
    List<TimeoutPath.Step> steps = PlanMermaidWriter.steps(path);
    for (int k = 0; k < steps.size(); k++) {
      TimeoutPath.Step s = steps.get(k);
      j.append(k == 0 ? "" : ", ").append("{\"name\": ").append(JsonText.quote(s.name()))
          .append(", \"timeout\": ").append(duration(s.timeout())).append('}');
    }
    return j.append("]}").toString();
  }

  private static String duration(Duration d) {
    return JsonText.quote(Kubernetes.format(d));
  }
}

package dev.ordo.processor.writing;

import dev.ordo.processor.model.ComponentDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes {@code META-INF/ordo/graph.json}, the lifecycle graph of a compilation for tooling: each
 * component by binary name, its controller, whether it is critical, and its hard and soft
 * dependencies. Everything is sorted.
 *
 * <pre>
 * {
 *   "components": [
 *     {
 *       "name": "com.acme.OrderStore",
 *       "controller": "com.acme.OrderStore_Lifecycle",
 *       "critical": true,
 *       "dependsOn": ["com.acme.ConnectionPool"],
 *       "dependsOnOptionally": []
 *     }
 *   ]
 * }
 * </pre>
 */
public final class GraphJsonWriter {
  /** Where the graph is written in the class output. */
  public static final String RESOURCE = "META-INF/ordo/graph.json";

  private GraphJsonWriter() {}

  /** The JSON text of the graph of {@code components}. */
  public static String write(List<ComponentDescriptor> components) {
    List<ComponentDescriptor> sorted = new ArrayList<>(components);
    sorted.sort(Comparator.comparing(c -> c.name().binaryName()));
    StringBuilder json = new StringBuilder("{\n  \"components\": [");
    for (int i = 0; i < sorted.size(); i++) {
      ComponentDescriptor component = sorted.get(i);
      json.append(i == 0 ? "\n" : ",\n")
          .append("    {\n")
          .append("      \"name\": ").append(string(component.name().binaryName())).append(",\n")
          .append("      \"controller\": ")
          .append(string(ControllerWriter.controllerName(component.name()).reflectionName())).append(",\n")
          .append("      \"critical\": ").append(component.critical()).append(",\n")
          .append("      \"dependsOn\": ").append(array(component.hardDependencies())).append(",\n")
          .append("      \"dependsOnOptionally\": ").append(array(component.softDependencies())).append('\n')
          .append("    }");
    }
    return json.append(sorted.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
  }

  private static String array(List<String> values) {
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(null);
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < sorted.size(); i++) {
      json.append(i == 0 ? "" : ", ").append(string(sorted.get(i)));
    }
    return json.append(']').toString();
  }

  private static String string(String value) {
    return JsonText.quote(value);
  }
}

package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.ComponentName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Two components never get the same generated classes. Generated names join the simple names of
 * nested classes with {@code _}, so {@code p.Outer.Inner} and {@code p.Outer_Inner} would both get
 * {@code p.Outer_Inner_Lifecycle} (and {@code _Events}). Of each such group, the component whose
 * class names have no {@code _} (at most one has none; else the first by binary name) keeps the
 * name, and each other one is reported once, on its class, with the class to rename.
 */
public final class GeneratedNameClashRule implements GraphRule {
  @Override
  public void validate(RoundComponents components, Reporter reporter) {
    Map<String, List<Map.Entry<String, TypeElement>>> byGenerated = new LinkedHashMap<>();
    for (Map.Entry<String, TypeElement> entry : components.all().entrySet()) { // sorted by binary name
      ComponentName name = ComponentReader.nameOf(entry.getValue());
      String controller = ComponentName.of(name.packageName(), name.flatName() + "_Lifecycle").qualifiedName();
      byGenerated.computeIfAbsent(controller, k -> new ArrayList<>())
          .add(entry);
    }
    byGenerated.forEach((generated, group) -> {
      if (group.size() < 2) {
        return;
      }
      Map.Entry<String, TypeElement> keeper = group.stream()
          .filter(e -> ComponentReader.nameOf(e.getValue()).simpleNames().stream().noneMatch(s -> s.contains("_")))
          .findFirst()
          .orElse(group.get(0));
      for (Map.Entry<String, TypeElement> other : group) {
        if (other == keeper
            || !(components.added().contains(other.getKey()) || components.added().contains(keeper.getKey()))) {
          continue;
        }
        TypeElement renamed = classToRename(other.getValue());
        reporter.report(Message.GENERATED_NAME_CLASH, Location.of(other.getValue()),
            keeper.getValue().getQualifiedName(), other.getValue().getQualifiedName(), generated,
            renamed.getQualifiedName(), withoutUnderscores(renamed.getSimpleName().toString()));
      }
    });
  }

  /** The innermost class around (or of) {@code type} whose simple name has a {@code _}. */
  private static TypeElement classToRename(TypeElement type) {
    for (Element e = type; e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      if (e instanceof TypeElement && e.getSimpleName().toString().contains("_")) {
        return (TypeElement) e;
      }
    }
    return type;
  }

  /** {@code Outer_Inner} as {@code OuterInner}: each {@code _} dropped, the letter after it upper-case. */
  static String withoutUnderscores(String name) {
    StringBuilder result = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = result.length() > 0;
      } else {
        result.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return result.length() == 0 ? name : result.toString();
  }
}

package dev.ordo.processor.validation;

import java.util.Collections;
import java.util.SortedMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.lang.model.element.TypeElement;

/**
 * The components a graph rule sees: every component of the compilation so far, and those that
 * this round added (a rule that checks one component at a time checks only those, so that a
 * problem is reported once).
 *
 * @param all every component so far, by binary name
 * @param added the binary names of the components this round added
 */
public record RoundComponents(SortedMap<String, TypeElement> all, Set<String> added) {
  /** Copies both. */
  public RoundComponents {
    all = Collections.unmodifiableSortedMap(new TreeMap<>(all));
    added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
  }
}

package dev.ordo.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test components did, in order. One per test: pass it to the components. */
public final class Journal {
  private final List<String> entries = new CopyOnWriteArrayList<>();

  public void add(String entry) {
    entries.add(entry);
  }

  public List<String> entries() {
    return entries;
  }

  public int indexOf(String entry) {
    int i = entries.indexOf(entry);
    if (i < 0) {
      throw new AssertionError(entry + " missing from " + entries);
    }
    return i;
  }

  public boolean contains(String entry) {
    return entries.contains(entry);
  }
}

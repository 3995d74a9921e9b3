package dev.ordo.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** What the child JVMs reported: figures ({@code R} lines) and values ({@code V} lines), by key. */
final class Results {
  /** key -> {median, min, max, count}. */
  final Map<String, double[]> figures = new LinkedHashMap<>();
  final Map<String, String> values = new LinkedHashMap<>();

  void accept(String line) {
    String[] f = line.split("\t");
    if (f[0].equals("R") && f.length == 6) {
      figures.put(f[1], new double[] {
        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])
      });
    } else if (f[0].equals("V") && f.length >= 3) {
      values.put(f[1], f[2]);
    }
  }

  void put(String key, Samples s) {
    figures.put(key, new double[] {s.median(), s.min(), s.max(), s.count()});
  }

  double[] figure(String key) {
    return figures.get(key);
  }

  double median(String key) {
    double[] f = figures.get(key);
    return f == null ? Double.NaN : f[0];
  }

  String value(String key) {
    return values.get(key);
  }

  /** The scenario a key belongs to: its first segment ({@code flat}, {@code process}, ...). */
  static String scenario(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  /** Every figure and value as lines ({@code R key numbers...}, {@code V key value}), tab-separated. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    figures.forEach((k, f) -> {
      StringBuilder line = new StringBuilder("R\t").append(k);
      for (double v : f) {
        line.append('\t').append(v);
      }
      out.add(line.toString());
    });
    values.forEach((k, v) -> out.add("V\t" + k + "\t" + v.replace('\t', ' ').replace('\n', ' ')));
    return out;
  }

  /** Takes the lines of {@link #lines()} whose key's scenario {@code keep} accepts; the scenarios taken. */
  Set<String> readLines(List<String> lines, Predicate<String> keep) {
    Set<String> taken = new TreeSet<>();
    for (String line : lines) {
      String[] f = line.split("\t");
      if (f.length < 3 || !keep.test(scenario(f[1]))) {
        continue;
      }
      if (f[0].equals("R")) {
        double[] numbers = new double[f.length - 2];
        for (int i = 0; i < numbers.length; i++) {
          numbers[i] = Double.parseDouble(f[i + 2]);
        }
        figures.put(f[1], numbers);
      } else if (f[0].equals("V")) {
        values.put(f[1], f[2]);
      } else {
        continue;
      }
      taken.add(scenario(f[1]));
    }
    return taken;
  }
}

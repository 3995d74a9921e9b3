package dev.ordo.bench;

import java.util.LinkedHashMap;
import java.util.Map;

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
}

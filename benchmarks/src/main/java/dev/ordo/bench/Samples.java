package dev.ordo.bench;

import java.util.Arrays;

/** Measured values of one figure: the median, min and max are what the report shows. */
public final class Samples {
  private double[] values = new double[0];

  public void add(double v) {
    values = Arrays.copyOf(values, values.length + 1);
    values[values.length - 1] = v;
  }

  public int count() {
    return values.length;
  }

  public double median() {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  public double min() {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  public double max() {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** The line a child JVM prints for the driver: {@code R key median min max count}. */
  public static void emit(String key, Samples s) {
    System.out.println("R\t" + key + "\t" + s.median() + "\t" + s.min() + "\t" + s.max() + "\t" + s.count());
  }

  /** A single value (a count, a flag, a note). */
  public static void emit(String key, Object value) {
    System.out.println("V\t" + key + "\t" + value);
  }
}

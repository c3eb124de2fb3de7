package org.mlmspark.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** The median of repeated measurements: the middle value, or the mean of the two middle ones. */
public final class Median {
  private Median() {}

  public static double of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to take the median of");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  public static double of(Collection<Double> values) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}

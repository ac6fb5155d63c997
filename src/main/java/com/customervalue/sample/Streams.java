package com.customervalue.sample;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic random sub-streams. Every purpose (population, simulation of one account, one
 * file's mess, ...) gets its own stream derived from the spec's seed, so adding a draw in one place
 * never shifts the values drawn in another, and a run never depends on iteration order of a hash
 * container. Uses {@link StrictMath} so the same seed gives the same bytes on every JVM.
 */
final class Streams {
  static final int POPULATION = 1;
  static final int PRESS = 2;
  static final int SIMULATION = 3;
  static final int WEB = 4;
  static final int MARKETING = 5;
  static final int TEST_LINES = 6;
  static final int INVOICE_RENDER = 7;
  static final int CUSTOMER_RENDER = 8;
  static final int SITE = 9;
  static final int TICKET_RENDER = 10;
  static final int MESS = 11;
  static final int PROSPECTS = 12;
  static final int REFUNDS = 13;

  private Streams() {}

  static SplittableRandom of(long seed, int purpose, long index) {
    long s = mix(seed + 0x9E3779B97F4A7C15L * purpose);
    s = mix(s ^ (index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
    return new SplittableRandom(s);
  }

  /** SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Standard normal draw (Box-Muller), stable across JDK versions unlike nextGaussian. */
  static double gaussian(SplittableRandom r) {
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  static double logNormal(SplittableRandom r, double median, double sigma) {
    return median * StrictMath.exp(sigma * gaussian(r));
  }

  static boolean chance(SplittableRandom r, double p) {
    return r.nextDouble() < p;
  }

  /** Index drawn with probability proportional to {@code weights[i]}. */
  static int weighted(SplittableRandom r, double[] weights) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    double u = r.nextDouble() * sum;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  static <T> T pick(SplittableRandom r, List<T> items) {
    return items.get(r.nextInt(items.size()));
  }

  static String pick(SplittableRandom r, String[] items) {
    return items[r.nextInt(items.length)];
  }

  /** Failures before the first success with success probability p. */
  static int geometric(SplittableRandom r, double p) {
    int n = 0;
    while (r.nextDouble() >= p && n < 10_000) {
      n++;
    }
    return n;
  }

  /** k distinct indices from [0, n), in draw order (partial Fisher-Yates). */
  static int[] sample(SplittableRandom r, int n, int k) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int m = Math.min(n, k);
    for (int i = 0; i < m; i++) {
      int j = i + r.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = new int[m];
    System.arraycopy(all, 0, out, 0, m);
    return out;
  }
}

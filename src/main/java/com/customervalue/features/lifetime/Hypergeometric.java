package com.customervalue.features.lifetime;

/**
 * The Gaussian hypergeometric function 2F1(a, b; c; z) for |z| < 1 by its power series. Commons
 * Math has no 2F1; the BG/NBD conditional expectation needs it only inside the unit disc
 * (z = t / (alpha + T + t)), where the series converges.
 */
public final class Hypergeometric {
  /** Most terms summed before the series counts as not converged. */
  public static final int MAX_TERMS = 100_000;
  private static final double RELATIVE_TOLERANCE = 1e-15;

  private Hypergeometric() {}

  /**
   * 2F1(a, b; c; z) = sum over n of (a)_n (b)_n / ((c)_n n!) z^n.
   *
   * @throws ArithmeticException when |z| >= 1, c is zero or a negative integer, or the series has not
   *     converged within {@link #MAX_TERMS} terms
   */
  public static double f21(double a, double b, double c, double z) {
    if (!(Math.abs(z) < 1.0)) {
      throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + "): the series needs |z| < 1");
    }
    if (c <= 0 && c == Math.rint(c)) {
      throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + "): c must not be 0 or a"
          + " negative integer");
    }
    double sum = 1.0;
    double term = 1.0;
    for (int n = 0; n < MAX_TERMS; n++) {
      double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
      term *= ratio;
      sum += term;
      if (term == 0.0) {
        return sum;
      }
      // Once the term ratio is below 1 in size the rest is bounded by a geometric tail: stop when
      // that bound is negligible (the ratio tends to z, so this always happens for |z| < 1).
      double r = Math.abs(ratio);
      if (r < 1.0 && Math.abs(term) * Math.max(r, Math.abs(z)) / (1.0 - Math.max(r, Math.abs(z)))
          <= RELATIVE_TOLERANCE * Math.abs(sum)) {
        return sum;
      }
      if (!Double.isFinite(sum)) {
        break;
      }
    }
    throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge within "
        + MAX_TERMS + " terms (partial sum " + sum + ")");
  }
}

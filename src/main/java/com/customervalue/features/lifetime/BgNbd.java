package com.customervalue.features.lifetime;

import com.customervalue.errors.Errors;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The BG/NBD model of Fader, Hardie and Lee (2005), "Counting your customers the easy way: an
 * alternative to the Pareto/NBD model": while alive a customer buys at a Poisson rate drawn from
 * Gamma(r, alpha); after each purchase they drop out with a probability drawn from Beta(a, b).
 * A customer's history is summarised as x (repeat purchases), t_x (time of the last purchase,
 * from the first) and T (time from the first purchase to the end of observation), in one time unit.
 *
 * @param r shape of the purchase-rate distribution
 * @param alpha scale of the purchase-rate distribution (in the time unit)
 * @param a first shape of the dropout-probability distribution; 0 is the model's limit where nobody
 *     drops out (the NBD model), which is where the likelihood peaks on data with no sign of drop-out
 * @param b second shape of the dropout-probability distribution (without meaning when a is 0)
 */
public record BgNbd(double r, double alpha, double a, double b) implements java.io.Serializable {
  /**
   * A fitted mean drop-out probability per purchase, a / (a + b), below this is taken as the limit a = 0:
   * one drop-out in a million purchases is no drop-out any data set can tell apart, and keeping such
   * a fit would leave p_alive a hair below 1 with differences that are noise.
   */
  static final double NO_DROPOUT_MEAN = 1e-6;

  /** A group of customers with the same summary; {@code count} weighs its log-likelihood. */
  public record Group(int x, double tx, double t, long count) {}

  /** The parameters as an array (r, alpha, a, b), the optimizer's order. */
  double[] toArray() {
    return new double[] {r, alpha, a, b};
  }

  /**
   * Log-likelihood of one customer (equation 6 of the paper), in logs throughout: the two terms of
   * the likelihood are added with log-sum-exp, so large x or T do not underflow.
   */
  public double logLikelihood(int x, double tx, double t) {
    double common = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
    double logBeta = Beta.logBeta(a, b);
    double stillAlive = Beta.logBeta(a, b + x) - logBeta - (r + x) * Math.log(alpha + t);
    if (x == 0) {
      return common + stillAlive;
    }
    double droppedOut = Beta.logBeta(a + 1, b + x - 1) - logBeta - (r + x) * Math.log(alpha + tx);
    double max = Math.max(stillAlive, droppedOut);
    return common + max + Math.log(Math.exp(stillAlive - max) + Math.exp(droppedOut - max));
  }

  /** Weighted sum of {@link #logLikelihood} over the groups. */
  public double logLikelihood(List<Group> groups) {
    double sum = 0.0;
    for (Group g : groups) {
      sum += g.count() * logLikelihood(g.x(), g.tx(), g.t());
    }
    return sum;
  }

  /**
   * Probability the customer is still alive at T (equation 13 of Fader, Hardie and Lee's note
   * "Computing P(alive) using the BG/NBD model"): 1 for x = 0, since the model lets a customer drop
   * out only right after a purchase.
   */
  public double probabilityAlive(int x, double tx, double t) {
    if (x == 0 || noDropout()) {
      return 1.0;
    }
    return 1.0 / (1.0 + Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + t) / (alpha + tx))));
  }

  /**
   * Expected purchases in (T, T + horizon] of a customer with summary (x, t_x, T) (equation 10 of the
   * paper). The hypergeometric term is evaluated after Euler's transformation,
   * 2F1(r+x, b+x; a+b+x-1; z) = (1-z)^(a-1-r-x) 2F1(a+b-1-r, a-1; a+b+x-1; z): its terms shrink like
   * n^(a-r-x-2) z^n instead of growing like n^(r+x-a) z^n, so frequent buyers and long horizons
   * converge quickly and without overflow.
   */
  public double expectedPurchases(double horizon, int x, double tx, double t) {
    if (horizon <= 0) {
      return 0.0;
    }
    if (noDropout()) {
      // The NBD model: the purchase rate's posterior is Gamma(r + x, alpha + T), and nobody leaves.
      return horizon * (r + x) / (alpha + t);
    }
    double z = horizon / (alpha + t + horizon);
    double c = a + b + x - 1;
    double transformed = Math.pow(1 - z, a - 1) * Hypergeometric.f21(a + b - 1 - r, a - 1, c, z);
    double unconditional = c / (a - 1) * (1 - transformed);
    if (x == 0) {
      return unconditional;
    }
    return unconditional * probabilityAlive(x, tx, t);
  }

  /** True at the limit a = 0: the drop-out probability is 0 for everyone, so every customer is alive. */
  public boolean noDropout() {
    return a == 0.0;
  }

  /**
   * Fits the model by maximum likelihood. When the likelihood keeps rising as a goes to 0 (the data show
   * no drop-out, as on a short history of loyal buyers), or the fitted mean drop-out probability is below
   * {@link #NO_DROPOUT_MEAN}, the fit is the limit a = 0, see {@link #noDropout()}.
   *
   * @param what names the data in errors, e.g. "as_of 2015-04-01"
   * @throws com.customervalue.errors.ModelFitException when the data cannot support a fit or the optimizer fails
   */
  public static Fit<BgNbd> fit(List<Group> groups, String what, int minCustomers, int minRepeatCustomers,
      double tolerance, int maxEvaluations) {
    long customers = groups.stream().mapToLong(Group::count).sum();
    long repeat = groups.stream().filter(g -> g.x() > 0).mapToLong(Group::count).sum();
    if (customers < minCustomers || repeat < minRepeatCustomers) {
      throw Errors.modelFit("BG/NBD", what, customers + " customers, " + repeat + " with a repeat purchase;"
          + " the fit needs at least " + minCustomers + " customers and " + minRepeatCustomers
          + " repeat customers (customer-value.lifetime.min-customers, min-repeat-customers)", null, Double.NaN);
    }
    double meanT = groups.stream().mapToDouble(g -> g.count() * g.t()).sum() / customers;
    double[] start = {1.0, Math.max(meanT, 1e-3), 1.0, 1.0};
    try {
      MaximumLikelihood.Result result = MaximumLikelihood.maximise(
          p -> new BgNbd(p[0], p[1], p[2], p[3]).logLikelihood(groups), start, tolerance, maxEvaluations,
          new boolean[] {false, false, true, false});
      return new Fit<>(fitted(result.parameters()), result.logLikelihood(), customers, result.evaluations());
    } catch (MaximumLikelihood.FitFailure e) {
      double[] p = e.lastParameters;
      throw Errors.modelFit("BG/NBD", what, e.getMessage(), new BgNbd(p[0], p[1], p[2], p[3]).toString(),
          e.lastLogLikelihood);
    }
  }

  /** The model of optimizer parameters (r, alpha, a, b), at the limit a = 0 below {@link #NO_DROPOUT_MEAN}. */
  static BgNbd fitted(double[] p) {
    double a = p[2] / (p[2] + p[3]) < NO_DROPOUT_MEAN ? 0.0 : p[2];
    return new BgNbd(p[0], p[1], a, p[3]);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "r=%.6g, alpha=%.6g, a=%.6g, b=%.6g", r, alpha, a, b);
  }
}

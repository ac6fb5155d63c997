package com.customervalue.features.lifetime;

import com.customervalue.errors.Errors;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.special.Gamma;

/**
 * The Gamma-Gamma model of spend per transaction (Fader and Hardie, 2013, "The Gamma-Gamma Model of
 * Monetary Value", after Colombo and Jiang, 1999): a customer's transaction values are Gamma(p, nu)
 * and nu varies across customers as Gamma(q, gamma). It is fitted on the customers with a repeat
 * purchase, from x (repeat purchases) and m_x (the mean value of those repeat purchases).
 *
 * @param p shape of the transaction values
 * @param q shape of the distribution of nu across customers
 * @param gamma scale of the distribution of nu across customers
 */
public record GammaGamma(double p, double q, double gamma) implements java.io.Serializable {

  /** Customers with the same x and mean repeat spend; {@code count} weighs the log-likelihood. */
  public record Group(int x, double meanSpend, long count) {}

  /** Log-density of m_x given x (x at least 1, m_x above 0). */
  public double logLikelihood(int x, double meanSpend) {
    double px = p * x;
    return Gamma.logGamma(px + q) - Gamma.logGamma(px) - Gamma.logGamma(q) + q * Math.log(gamma)
        + (px - 1) * Math.log(meanSpend) + px * Math.log(x) - (px + q) * Math.log(gamma + meanSpend * x);
  }

  /** Weighted sum of {@link #logLikelihood} over the groups. */
  public double logLikelihood(List<Group> groups) {
    double sum = 0.0;
    for (Group g : groups) {
      sum += g.count() * logLikelihood(g.x(), g.meanSpend());
    }
    return sum;
  }

  /**
   * Expected value of a future transaction given x and m_x: (gamma + m_x x) p / (p x + q - 1), a
   * weighted mean of the population mean p gamma / (q - 1) and m_x. Finite only for q above 1.
   */
  public double expectedOrderValue(int x, double meanSpend) {
    return (gamma + meanSpend * x) * p / (p * x + q - 1);
  }

  /**
   * Fits the model by maximum likelihood.
   *
   * @param what names the data in errors, e.g. "as_of 2015-04-01"
   * @throws com.customervalue.errors.ModelFitException when the data cannot support a fit, the optimizer
   *     fails, or q is not above 1 (the expected order value would be infinite)
   */
  public static Fit<GammaGamma> fit(List<Group> groups, String what, int minRepeatCustomers, double tolerance,
      int maxEvaluations) {
    long customers = groups.stream().mapToLong(Group::count).sum();
    if (customers < minRepeatCustomers) {
      throw Errors.modelFit("Gamma-Gamma", what, customers + " customers with a repeat purchase of positive value;"
          + " the fit needs at least " + minRepeatCustomers + " (customer-value.lifetime.min-repeat-customers)",
          null, Double.NaN);
    }
    double meanSpend = groups.stream().mapToDouble(g -> g.count() * g.meanSpend()).sum() / customers;
    // p = 1, q = 2 make the population mean p gamma / (q - 1) equal to gamma: start it at the data's mean.
    double[] start = {1.0, 2.0, Math.max(meanSpend, 1e-6)};
    MaximumLikelihood.Result result;
    try {
      result = MaximumLikelihood.maximise(p -> new GammaGamma(p[0], p[1], p[2]).logLikelihood(groups), start,
          tolerance, maxEvaluations);
    } catch (MaximumLikelihood.FitFailure e) {
      double[] p = e.lastParameters;
      throw Errors.modelFit("Gamma-Gamma", what, e.getMessage(), new GammaGamma(p[0], p[1], p[2]).toString(),
          e.lastLogLikelihood);
    }
    double[] p = result.parameters();
    GammaGamma model = new GammaGamma(p[0], p[1], p[2]);
    if (model.q() <= 1.0) {
      throw Errors.modelFit("Gamma-Gamma", what, "q = " + model.q() + " is not above 1, so the expected order value"
          + " p gamma / (q - 1) is not finite (spend per order varies too much across customers for this model)",
          model.toString(), result.logLikelihood());
    }
    return new Fit<>(model, result.logLikelihood(), customers, result.evaluations());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "p=%.6g, q=%.6g, gamma=%.6g", p, q, gamma);
  }
}

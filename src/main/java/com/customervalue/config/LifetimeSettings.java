package com.customervalue.config;

import java.util.List;
import java.util.Locale;

/**
 * Settings of the probabilistic lifetime-value features (BG/NBD and Gamma-Gamma, fitted per as_of).
 *
 * @param enabled compute {@code p_alive}, {@code expected_purchases_horizon}, {@code expected_order_value}
 *     and {@code clv}; false leaves the columns out of customer_features and empty in customer_scores
 * @param timeUnit the unit the models measure time in (the fitted rate and alpha depend on it)
 * @param clvHorizonMonths months of future purchases counted in {@code clv}
 * @param annualDiscountRate yearly discount rate of {@code clv}, turned into an equivalent monthly rate
 * @param fitMaxCustomers most customers one as_of's fits use: a snapshot with more is fitted on a sample of
 *     about this many, picked by a hash of the account key; predictions cover everyone
 * @param minCustomers fewest customers a snapshot needs for the BG/NBD fit
 * @param minRepeatCustomers fewest customers with a repeat purchase a snapshot needs for both fits
 * @param tolerance relative change of the log-likelihood at which the optimizer stops
 * @param maxEvaluations most log-likelihood evaluations per fit before it counts as not converged
 * @param failOnFitError a fit that fails stops the features job; otherwise the columns that model
 *     feeds stay empty (null) for that as_of and the job logs why at WARN
 */
public record LifetimeSettings(boolean enabled, TimeUnit timeUnit, int clvHorizonMonths, double annualDiscountRate,
    int fitMaxCustomers, int minCustomers, int minRepeatCustomers, double tolerance, int maxEvaluations,
    boolean failOnFitError) implements java.io.Serializable {

  /** Time units the models can work in; weeks are days / 7 (fractional, day precision). */
  public enum TimeUnit {
    DAYS(1.0), WEEKS(7.0);

    private final double days;

    TimeUnit(double days) {
      this.days = days;
    }

    /** Length of one unit in days. */
    public double days() {
      return days;
    }

    /** The config spelling, e.g. {@code weeks}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Every config spelling, for error messages. */
    public static List<String> ids() {
      return java.util.Arrays.stream(values()).map(TimeUnit::id).toList();
    }
  }

  /** The monthly discount rate equivalent to the annual one: (1 + annual)^(1/12) - 1. */
  public double monthlyDiscountRate() {
    return Math.pow(1.0 + annualDiscountRate, 1.0 / 12.0) - 1.0;
  }
}

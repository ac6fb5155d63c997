package com.customervalue.config;

import java.util.Optional;

/**
 * The score job's settings.
 *
 * @param modelRun the train run whose models score; empty = each target's newest saved model
 * @param returnTarget the target whose model gives the probability of returning (required)
 * @param topTierTarget the target whose model gives the probability of buying the top tier
 * @param revenueTarget the regression target whose model gives the expected revenue
 * @param highRisk churn probability at or above which an account is in the high risk band
 * @param mediumRisk churn probability at or above which an account is in the medium risk band
 * @param reasons reasons kept per account
 * @param drift the drift watch: scored features compared with the training snapshots'
 */
public record ScoreSettings(Optional<String> modelRun, String returnTarget, String topTierTarget,
    String revenueTarget, double highRisk, double mediumRisk, int reasons, Drift drift) {

  /**
   * The drift watch ({@code customer-value.score.drift}).
   *
   * @param enabled whether score computes and writes feature_drift
   * @param bins bins of a numeric feature, cut at the training quantiles (2-100)
   * @param psiWarn population stability index above which a feature is flagged
   * @param unseenWarn share of scored accounts with a category never seen in training above which a
   *     categorical feature is flagged
   */
  public record Drift(boolean enabled, int bins, double psiWarn, double unseenWarn) {}
}

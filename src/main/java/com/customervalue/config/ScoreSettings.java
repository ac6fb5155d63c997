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
 */
public record ScoreSettings(Optional<String> modelRun, String returnTarget, String topTierTarget,
    String revenueTarget, double highRisk, double mediumRisk, int reasons) {}

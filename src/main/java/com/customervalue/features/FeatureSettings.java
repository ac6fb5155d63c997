package com.customervalue.features;

import java.io.Serializable;

/**
 * What the feature and label definitions depend on, from config.
 *
 * @param horizonDays length of the label window
 * @param lookbackDays an account is in a snapshot when it bought within this many days before as_of
 * @param officeLatitude office location, for the distance feature
 * @param officeLongitude office location, for the distance feature
 * @param supportCostPerDay cost of one day a ticket stays open, for support cost and adjusted revenue
 * @param topTier the license tier that counts as "top tier" for the high-value label
 */
public record FeatureSettings(int horizonDays, int lookbackDays, double officeLatitude, double officeLongitude,
    double supportCostPerDay, int topTier) implements Serializable {}

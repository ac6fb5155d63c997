package com.customervalue.config;

import java.util.List;

/**
 * Settings of the {@code features} job.
 *
 * @param officeLatitude office location for the distance feature
 * @param officeLongitude office location for the distance feature
 * @param supportCostPerDay cost of a day a ticket stays open
 * @param topTier license tier of the high-value label
 * @param processes service processes with a share-of-spend feature
 */
public record FeatureConfig(double officeLatitude, double officeLongitude, double supportCostPerDay, int topTier,
    List<String> processes) {
  public FeatureConfig {
    processes = List.copyOf(processes);
  }
}

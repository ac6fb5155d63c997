package com.customervalue.config;

/**
 * Point-in-time snapshot settings shared by the feature and training stages.
 *
 * @param horizonDays length of the label window after as_of
 * @param lookbackDays an account is in a snapshot when it bought within this many days before as_of
 */
public record SnapshotSettings(int horizonDays, int lookbackDays) {}

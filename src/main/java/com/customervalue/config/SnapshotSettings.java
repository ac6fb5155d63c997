package com.customervalue.config;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Point-in-time snapshot settings shared by the feature and training stages.
 *
 * @param horizonDays length of the label window after as_of
 * @param lookbackDays an account is in a snapshot when it bought within this many days before as_of
 * @param asOf explicit as_of dates; empty = a range
 * @param rangeStart first date of the range; empty = the first invoice + 180 days
 * @param monthly step of the range: monthly, else quarterly
 */
public record SnapshotSettings(int horizonDays, int lookbackDays, List<LocalDate> asOf,
    Optional<LocalDate> rangeStart, boolean monthly) {
  public SnapshotSettings {
    asOf = List.copyOf(asOf);
  }
}

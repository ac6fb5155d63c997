package com.customervalue.features;

import com.customervalue.config.SnapshotSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which as_of dates a features run builds. */
final class SnapshotDates {
  /** Default start of the range: enough history for the first snapshot to say something. */
  static final int DEFAULT_WARM_UP_DAYS = 180;

  private SnapshotDates() {}

  /**
   * {@code --as-of} alone when given; else the configured list; else every month or quarter from
   * the range start through {@code dataEnd} (the day after the newest invoice), which is always
   * included: it is the unlabelled snapshot that gets scored.
   */
  static List<LocalDate> resolve(SnapshotSettings settings, Optional<LocalDate> cli, LocalDate firstPurchase,
      LocalDate dataEnd) {
    if (cli.isPresent()) {
      return List.of(cli.get());
    }
    if (!settings.asOf().isEmpty()) {
      return settings.asOf().stream().distinct().sorted().toList();
    }
    LocalDate start = settings.rangeStart().orElseGet(() -> firstPurchase.plusDays(DEFAULT_WARM_UP_DAYS));
    int step = settings.monthly() ? 1 : 3;
    LocalDate date = start.withDayOfMonth(1);
    if (date.isBefore(start)) {
      date = date.plusMonths(1);
    }
    if (!settings.monthly()) {
      while ((date.getMonthValue() - 1) % 3 != 0) {
        date = date.plusMonths(1);
      }
    }
    List<LocalDate> dates = new ArrayList<>();
    for (; date.isBefore(dataEnd); date = date.plusMonths(step)) {
      dates.add(date);
    }
    dates.add(dataEnd);
    return dates;
  }
}

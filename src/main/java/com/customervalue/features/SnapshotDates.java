package com.customervalue.features;

import com.customervalue.config.SnapshotSettings;
import com.customervalue.errors.CustomerValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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

  /**
   * Refuses as_of dates a user asked for (by {@code --as-of} or {@code snapshots.as-of}) that no
   * account can be in: before the first purchase (no history yet) or more than the lookback after
   * the newest one (nobody bought within it). Such a snapshot would be written empty, silently.
   * The bounds mirror the population rule: a purchase strictly before the start of the as_of day and
   * less than {@code lookbackDays} before it.
   */
  static void requireData(List<LocalDate> requested, Instant firstPurchase, Instant lastPurchase, int lookbackDays,
      String runId) {
    LocalDate first = firstPurchase.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate last = lastPurchase.atZone(ZoneOffset.UTC).toLocalDate();
    Instant reach = lastPurchase.plus(Duration.ofDays(lookbackDays));
    LocalDate latest = reach.atZone(ZoneOffset.UTC).toLocalDate();
    if (latest.atStartOfDay(ZoneOffset.UTC).toInstant().equals(reach)) {
      latest = latest.minusDays(1);
    }
    List<String> problems = new ArrayList<>();
    for (LocalDate asOf : requested) {
      Instant start = asOf.atStartOfDay(ZoneOffset.UTC).toInstant();
      if (!firstPurchase.isBefore(start)) {
        problems.add("as_of " + asOf + " is before all data: the first valid purchase of run '" + runId + "' is on "
            + first + ", so no account has any history before it; choose an as_of from " + first.plusDays(1));
      } else if (!lastPurchase.isAfter(start.minus(Duration.ofDays(lookbackDays)))) {
        problems.add("as_of " + asOf + " is after all data: the newest valid purchase of run '" + runId + "' is on "
            + last + ", more than customer-value.snapshots.lookback-days (" + lookbackDays + ") before it, so no"
            + " account would be in the snapshot; choose an as_of up to " + latest + " or raise the lookback");
      }
    }
    if (!problems.isEmpty()) {
      throw new CustomerValueException("features: " + String.join("; ", problems));
    }
  }
}

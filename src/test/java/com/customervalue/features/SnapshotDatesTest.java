package com.customervalue.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.SnapshotSettings;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotDatesTest {
  private static final LocalDate FIRST = LocalDate.of(2014, 1, 6);
  private static final LocalDate END = LocalDate.of(2015, 3, 2);

  private static SnapshotSettings settings(List<LocalDate> asOf, Optional<LocalDate> start, boolean monthly) {
    return new SnapshotSettings(365, 730, asOf, start, monthly);
  }

  @Test
  void quarterlyFromHalfAYearAfterTheFirstPurchaseThroughTheEndOfTheData() {
    assertThat(SnapshotDates.resolve(settings(List.of(), Optional.empty(), false), Optional.empty(), FIRST, END))
        .as("first purchase + 180 days = 2014-07-05, so the first quarter start after it")
        .containsExactly(LocalDate.of(2014, 10, 1), LocalDate.of(2015, 1, 1), END);
  }

  @Test
  void monthlyFromAConfiguredStart() {
    assertThat(SnapshotDates.resolve(settings(List.of(), Optional.of(LocalDate.of(2014, 12, 1)), true),
        Optional.empty(), FIRST, END))
        .containsExactly(LocalDate.of(2014, 12, 1), LocalDate.of(2015, 1, 1), LocalDate.of(2015, 2, 1),
            LocalDate.of(2015, 3, 1), END);
  }

  @Test
  void anExplicitListIsSortedAndDeduplicatedAndTheCommandLineWins() {
    List<LocalDate> listed = List.of(LocalDate.of(2014, 9, 1), LocalDate.of(2014, 3, 1), LocalDate.of(2014, 9, 1));
    assertThat(SnapshotDates.resolve(settings(listed, Optional.empty(), false), Optional.empty(), FIRST, END))
        .containsExactly(LocalDate.of(2014, 3, 1), LocalDate.of(2014, 9, 1));
    assertThat(SnapshotDates.resolve(settings(listed, Optional.empty(), false),
        Optional.of(LocalDate.of(2014, 5, 5)), FIRST, END)).containsExactly(LocalDate.of(2014, 5, 5));
  }
}

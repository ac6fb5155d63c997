package com.customervalue.cli;

import java.time.LocalDate;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --as-of DATE}, for the commands whose jobs take one. */
public final class AsOfOption {
  @Option(names = "--as-of", paramLabel = "DATE",
      description = "The run's as_of date (yyyy-MM-dd): open support tickets count up to it (clean), and the one"
          + " snapshot to build (features). Default: clean, the day after the newest invoice or ticket event;"
          + " features, the snapshots of customer-value.snapshots.")
  LocalDate asOf;

  Optional<LocalDate> value() {
    return Optional.ofNullable(asOf);
  }
}

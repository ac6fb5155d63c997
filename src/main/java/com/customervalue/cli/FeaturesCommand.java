package com.customervalue.cli;

import com.customervalue.features.FeaturesJob;
import com.customervalue.job.Job;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code features}: point-in-time features and labels per (account, as_of). */
@Command(name = FeaturesJob.NAME, mixinStandardHelpOptions = true,
    description = {"Build customer_features: one row per (account, as_of) for the accounts that bought within the"
        + " lookback, features from events strictly before as_of, labels from [as_of, as_of + horizon); snapshots"
        + " whose window runs past the data are unlabelled. as_of dates come from customer-value.snapshots, or"
        + " --as-of for one.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class FeaturesCommand extends JobCommand {
  @Mixin
  AsOfOption asOf;

  @Override
  List<Job> jobs() {
    return List.of(new FeaturesJob());
  }

  @Override
  Optional<LocalDate> asOf() {
    return asOf.value();
  }
}

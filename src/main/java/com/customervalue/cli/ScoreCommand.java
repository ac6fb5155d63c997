package com.customervalue.cli;

import com.customervalue.job.Job;
import com.customervalue.score.ScoreJob;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code score}: every active account of the score date's snapshot, scored by the saved models. */
@Command(name = ScoreJob.NAME, mixinStandardHelpOptions = true,
    description = {"Score every account of the score date's snapshot of customer_features with each target's saved"
        + " model (the newest train run's, or customer-value.score.model-run) and MERGE the rows into"
        + " customer_scores on (account, score date): scoring a date again replaces its rows.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class ScoreCommand extends JobCommand {
  @Option(names = "--as-of", paramLabel = "DATE",
      description = "Score date (yyyy-MM-dd); its snapshot is built when customer_features lacks it. Default: the"
          + " newest snapshot of customer_features, the day after the newest invoice.")
  LocalDate asOf;

  @Override
  List<Job> jobs() {
    return List.of(new ScoreJob());
  }

  @Override
  Optional<LocalDate> asOf() {
    return Optional.ofNullable(asOf);
  }
}

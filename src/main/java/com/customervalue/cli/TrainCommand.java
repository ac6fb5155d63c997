package com.customervalue.cli;

import com.customervalue.job.Job;
import com.customervalue.train.TrainJob;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code train}: cross-validated MLlib models per target, compared, explained and saved. */
@Command(name = TrainJob.NAME, mixinStandardHelpOptions = true,
    description = {"Fit the models of customer-value.train for each target on customer_features (or on the prepared"
        + " table of customer-value.train.prepared): cross-validation over the training snapshots with folds grouped"
        + " by account and stratified, out-of-fold and out-of-time (newest labelled snapshot) figures, the best"
        + " model per target saved under <warehouse>/models/<target>/<run id>. Writes model_metrics,"
        + " feature_importance and model_predictions, and prints the figures.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class TrainCommand extends JobCommand {
  @Override
  List<Job> jobs() {
    return List.of(new TrainJob());
  }
}

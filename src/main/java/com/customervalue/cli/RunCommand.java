package com.customervalue.cli;

import com.customervalue.clean.CleanJob;
import com.customervalue.features.FeaturesJob;
import com.customervalue.identity.IdentityJob;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.Job;
import com.customervalue.report.ReportJob;
import com.customervalue.score.ScoreJob;
import com.customervalue.train.TrainJob;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: every job, in order, in one SparkSession. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run every stage in order in one Spark session: ingest, clean, identity, features, train, score,"
        + " report. --as-of sets clean's as_of, makes features build that one snapshot and score that date.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class RunCommand extends JobCommand {
  @Mixin
  AsOfOption asOf;

  /** Every job of the product, in data-flow order. */
  static List<Job> pipeline() {
    return List.of(new IngestJob(), new CleanJob(), new IdentityJob(), new FeaturesJob(), new TrainJob(),
        new ScoreJob(), new ReportJob());
  }

  @Override
  Optional<LocalDate> asOf() {
    return asOf.value();
  }

  @Override
  List<Job> jobs() {
    return pipeline();
  }
}

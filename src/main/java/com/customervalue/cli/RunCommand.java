package com.customervalue.cli;

import com.customervalue.ingest.IngestJob;
import com.customervalue.job.Job;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code run}: every job, in order, in one SparkSession. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run every stage in order in one Spark session: ingest.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class RunCommand extends JobCommand {
  /** Every job of the product, in data-flow order. */
  static List<Job> pipeline() {
    return List.of(new IngestJob());
  }

  @Override
  List<Job> jobs() {
    return pipeline();
  }
}

package com.customervalue.cli;

import com.customervalue.ingest.IngestJob;
import com.customervalue.job.Job;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code ingest}: every enabled source into its bronze Delta table, bad rows into quarantine. */
@Command(name = IngestJob.NAME, mixinStandardHelpOptions = true,
    description = {"Read every enabled source (CSV, JSON, Parquet; local or s3a://) into a bronze Delta table per"
        + " source, typed by the data contract. Rows that break the contract go to the quarantine table with the"
        + " reason; data_quality records rows read = kept + quarantined per source.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class IngestCommand extends JobCommand {
  @Override
  List<Job> jobs() {
    return List.of(new IngestJob());
  }
}

package com.customervalue.cli;

import com.customervalue.clean.CleanJob;
import com.customervalue.job.Job;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code clean}: the run's bronze tables into silver tables, per-source rules counted. */
@Command(name = CleanJob.NAME, mixinStandardHelpOptions = true,
    description = {"Clean the run's bronze tables into silver tables: duplicates, test transactions, one currency,"
        + " refunds and cancellations netted against their sales, support-ticket open days. Every removed or"
        + " changed row is counted per rule in data_quality; rows set aside go to quarantine with the reason.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class CleanCommand extends JobCommand {
  @Mixin
  AsOfOption asOf;

  @Override
  List<Job> jobs() {
    return List.of(new CleanJob());
  }

  @Override
  Optional<LocalDate> asOf() {
    return asOf.value();
  }
}

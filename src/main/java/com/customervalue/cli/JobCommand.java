package com.customervalue.cli;

import com.customervalue.config.AppConfig;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.JobRunner;
import com.customervalue.job.RunContext;
import com.customervalue.spark.SparkSessions;
import com.customervalue.warehouse.WarehouseAccess;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * Runs one or more jobs in one SparkSession: validates the config first, then starts Spark,
 * checks that the warehouse can be reached, runs the jobs in order, prints what each wrote and
 * stops Spark.
 */
abstract class JobCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The jobs this command runs, in order. */
  abstract List<Job> jobs();

  /** The as_of date for commands that take one. */
  Optional<LocalDate> asOf() {
    return Optional.empty();
  }

  @Override
  public Integer call() {
    AppConfig config = common.loadConfig();
    RunContext context = common.context(asOf());
    List<JobResult> results = new ArrayList<>();
    SparkSession spark = SparkSessions.create(config.spark());
    try {
      WarehouseAccess.check(spark, config.warehouse());
      for (Job job : jobs()) {
        results.add(JobRunner.run(job, spark, config, context));
      }
    } finally {
      spark.stop();
    }
    printSummary(spec.commandLine().getOut(), config, context, results);
    return 0;
  }

  static void printSummary(PrintWriter out, AppConfig config, RunContext context, List<JobResult> results) {
    out.printf("Run %s: tables written under %s%n", context.runId(), config.warehouse().root());
    out.printf("  %-10s %-28s %12s%n", "job", "table", "rows");
    for (JobResult result : results) {
      for (Map.Entry<String, Long> e : result.rowsWritten().entrySet()) {
        out.printf("  %-10s %-28s %12d%n", result.job(), e.getKey(), e.getValue());
      }
    }
    for (JobResult result : results) {
      result.report().forEach(out::println);
    }
    out.flush();
  }
}

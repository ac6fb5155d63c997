package com.customervalue.job;

import com.customervalue.config.AppConfig;
import com.customervalue.warehouse.Catalog;
import com.customervalue.warehouse.JobRuns;
import com.customervalue.warehouse.Tables;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job, records the attempt, successful or failed, in {@code job_runs}, and publishes the BI
 * tables it wrote (see {@link Catalog}).
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private JobRunner() {}

  public static JobResult run(Job job, SparkSession spark, AppConfig config, RunContext context) {
    String path = config.warehouse().tablePath(Tables.JOB_RUNS);
    long start = System.nanoTime();
    log.info("{}: starting run {}", job.name(), context.runId());
    JobResult result;
    try {
      result = job.run(spark, config, context);
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark's AnalysisException is checked yet undeclared in its Scala API.
      recordQuietly(spark, path, context, job.name(), false, e.getMessage(), e);
      throw e;
    }
    String detail = result.rowsWritten().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
    JobRuns.record(spark, path, context.runId(), job.name(), true, context.startedAtTimestamp(), detail);
    for (String table : result.rowsWritten().keySet()) {
      if (Catalog.BI_TABLES.contains(table)) {
        Catalog.publish(spark, config.warehouse(), table);
      }
    }
    Catalog.publish(spark, config.warehouse(), Tables.JOB_RUNS);
    log.info("{}: finished run {} in {} s", job.name(), context.runId(), (System.nanoTime() - start) / 1_000_000_000);
    return result;
  }

  /** A failure to record a failure must not hide the original error. */
  private static void recordQuietly(SparkSession spark, String path, RunContext context, String job, boolean ok,
      String detail, Exception original) {
    try {
      JobRuns.record(spark, path, context.runId(), job, ok, context.startedAtTimestamp(), detail);
    } catch (Exception e) {
      // Exception: Delta's Scala code throws checked IOExceptions (AccessDeniedException) undeclared.
      original.addSuppressed(e);
      log.warn("{}: could not record the failed run in {}: {}", job, path, e.getMessage());
    }
  }
}

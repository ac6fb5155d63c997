package com.customervalue.job;

import com.customervalue.config.AppConfig;
import com.customervalue.errors.Errors;
import com.customervalue.warehouse.Catalog;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.JobRuns;
import com.customervalue.warehouse.Tables;
import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job, records the attempt, successful or failed, in {@code job_runs} (with the configuration's
 * hash and the versions of the tables it reads), and publishes the BI tables it wrote (see
 * {@link Catalog}).
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private JobRunner() {}

  public static JobResult run(Job job, SparkSession spark, AppConfig config, RunContext context) {
    String path = config.warehouse().tablePath(Tables.JOB_RUNS);
    long start = System.nanoTime();
    log.info("{}: starting run {}", job.name(), context.runId());
    String configHash = configHash(config);
    Map<String, Long> inputs = inputVersions(spark, config, job);
    // What a job caches is for that job alone (the next stage reads the Delta tables it wrote); in a chained run
    // it would hold memory the next stage needs. Only when the caller had cached nothing is the whole cache the
    // job's to drop: a caller's own cached rows are never dropped behind its back.
    boolean callerCached = !nothingCached(spark);
    JobResult result;
    try {
      result = job.run(spark, config, context);
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark's AnalysisException is checked yet undeclared in its Scala API.
      recordFailure(spark, path, new JobRuns.Attempt(context.runId(), job.name(), false, context.startedAtTimestamp(),
          configHash, inputs, Map.of(), Errors.maskEmails(Errors.describe(e))), e);
      throw e;
    } finally {
      if (callerCached) {
        log.info("{}: the session held cached data before the job: what the job cached stays cached", job.name());
      } else {
        spark.catalog().clearCache();
      }
    }
    JobRuns.record(spark, path, new JobRuns.Attempt(context.runId(), job.name(), true, context.startedAtTimestamp(),
        configHash, inputs, result.rowsWritten(), null));
    for (String table : result.rowsWritten().keySet()) {
      if (Catalog.BI_TABLES.contains(table)) {
        Catalog.publish(spark, config.warehouse(), table);
      }
    }
    Catalog.publish(spark, config.warehouse(), Tables.JOB_RUNS);
    log.info("{}: finished run {} in {} s", job.name(), context.runId(), (System.nanoTime() - start) / 1_000_000_000);
    return result;
  }

  /**
   * SHA-256 of the validated configuration (every setting, after defaults, file and system
   * properties are merged): two runs with the same hash ran with the same settings. The
   * configuration holds no secret (keys are refused, the hash key is named by its variable).
   */
  static String configHash(AppConfig config) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(config.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** The current Delta version of each input table of the job that exists. */
  static Map<String, Long> inputVersions(SparkSession spark, AppConfig config, Job job) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String table : job.inputTables(config)) {
      String tablePath = config.warehouse().tablePath(table);
      if (DeltaTable.isDeltaTable(spark, tablePath)) {
        versions.put(table, DeltaTables.currentVersion(spark, tablePath));
      }
    }
    return versions;
  }

  /** A failure to record a failure must not hide the original error. */
  private static void recordFailure(SparkSession spark, String path, JobRuns.Attempt attempt, Exception original) {
    try {
      JobRuns.record(spark, path, attempt);
    } catch (Exception e) {
      // Exception: Delta's Scala code throws checked IOExceptions (AccessDeniedException) undeclared.
      original.addSuppressed(e);
      log.warn("{}: could not record the failed run in {}: {}", attempt.job(), path, e.getMessage());
    }
  }

  /** Whether the session caches nothing. Spark Connect has no such view; this product runs on classic sessions. */
  static boolean nothingCached(SparkSession spark) {
    return ((org.apache.spark.sql.classic.SparkSession) spark).sharedState().cacheManager().isEmpty();
  }
}

package com.customervalue.warehouse;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code job_runs} table: one row per job attempt, successful or not, so an operator sees what
 * ran on which inputs and configuration, what it wrote, and why it failed.
 */
public final class JobRuns {
  public static final String RUN_ID = "run_id";
  public static final String JOB = "job";
  public static final String STATUS = "status";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String DETAIL = "detail";
  public static final String CONFIG_HASH = "config_hash";
  public static final String INPUT_VERSIONS = "input_versions";
  public static final String ROWS_WRITTEN = "rows_written";
  public static final String ERROR = "error";

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public static final StructType SCHEMA = new StructType()
      .add(RUN_ID, DataTypes.StringType, false, "Run id")
      .add(JOB, DataTypes.StringType, false, "Job (CLI subcommand)")
      .add(STATUS, DataTypes.StringType, false, "succeeded or failed")
      .add(STARTED_AT, DataTypes.TimestampType, false, "Start")
      .add(FINISHED_AT, DataTypes.TimestampType, false, "End")
      .add(DETAIL, DataTypes.StringType, true, "Rows written per table, or the error, in one line")
      .add(CONFIG_HASH, DataTypes.StringType, true,
          "SHA-256 of the validated configuration the job ran with: equal hashes, equal settings")
      .add(INPUT_VERSIONS, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true,
          "Delta version of each warehouse table the job reads, when it started (absent tables left out)")
      .add(ROWS_WRITTEN, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true,
          "Rows written per table (empty when the job failed)")
      .add(ERROR, DataTypes.StringType, true, "Why the job failed, in one line with e-mail addresses masked;"
          + " null when it succeeded");

  /** One attempt of a job. */
  public record Attempt(String runId, String job, boolean succeeded, Timestamp startedAt, String configHash,
      Map<String, Long> inputVersions, Map<String, Long> rowsWritten, String error) {
    String detail() {
      if (!succeeded) {
        return error;
      }
      return String.join(", ", rowsWritten.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
  }

  private JobRuns() {}

  /**
   * Appends one attempt; attempts are history, so re-runs add rows rather than replace them. A blind
   * append: it cannot conflict with another run's append. Tables written before the later columns
   * existed get them (schema merge); their old rows read null there.
   */
  public static void record(SparkSession spark, String path, Attempt attempt) {
    Row row = RowFactory.create(attempt.runId(), attempt.job(), attempt.succeeded() ? SUCCEEDED : FAILED,
        attempt.startedAt(), new Timestamp(System.currentTimeMillis()), attempt.detail(), attempt.configHash(),
        scala.jdk.javaapi.CollectionConverters.asScala(attempt.inputVersions()),
        scala.jdk.javaapi.CollectionConverters.asScala(attempt.rowsWritten()), attempt.error());
    Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA);
    df.write().format("delta").mode(SaveMode.Append).option("mergeSchema", "true").save(path);
  }
}

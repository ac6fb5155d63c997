package com.customervalue.warehouse;

import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code job_runs} table: one row per job attempt, successful or not. */
public final class JobRuns {
  public static final String RUN_ID = "run_id";
  public static final String JOB = "job";
  public static final String STATUS = "status";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String DETAIL = "detail";

  public static final StructType SCHEMA = new StructType()
      .add(RUN_ID, DataTypes.StringType, false, "Run id")
      .add(JOB, DataTypes.StringType, false, "Job (CLI subcommand)")
      .add(STATUS, DataTypes.StringType, false, "succeeded or failed")
      .add(STARTED_AT, DataTypes.TimestampType, false, "Start")
      .add(FINISHED_AT, DataTypes.TimestampType, false, "End")
      .add(DETAIL, DataTypes.StringType, true, "Rows written per table, or the error");

  private JobRuns() {}

  /** Appends one attempt; attempts are history, so re-runs add rows rather than replace them. */
  public static void record(SparkSession spark, String path, String runId, String job, boolean succeeded,
      Timestamp startedAt, String detail) {
    Row row = RowFactory.create(runId, job, succeeded ? "succeeded" : "failed", startedAt,
        new Timestamp(System.currentTimeMillis()), detail);
    Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA);
    df.write().format("delta").mode(SaveMode.Append).save(path);
  }
}

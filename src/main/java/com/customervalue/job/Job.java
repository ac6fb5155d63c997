package com.customervalue.job;

import com.customervalue.config.AppConfig;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** One stage of the product; each is a CLI subcommand and a spark-submit step. */
public interface Job {
  /** The subcommand name, e.g. {@code ingest}. */
  String name();

  JobResult run(SparkSession spark, AppConfig config, RunContext context);

  /**
   * The warehouse tables the job reads (names under the warehouse root, those that may be absent
   * included); {@code job_runs} records the Delta version each had when the job started. Jobs that
   * read only files (ingest) or nothing (generate-sample) keep the default: none.
   */
  default List<String> inputTables(AppConfig config) {
    return List.of();
  }
}

package com.customervalue.job;

import com.customervalue.config.AppConfig;
import org.apache.spark.sql.SparkSession;

/** One stage of the product; each is a CLI subcommand and a spark-submit step. */
public interface Job {
  /** The subcommand name, e.g. {@code ingest}. */
  String name();

  JobResult run(SparkSession spark, AppConfig config, RunContext context);
}

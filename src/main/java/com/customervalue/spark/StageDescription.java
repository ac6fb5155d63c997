package com.customervalue.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Names the Spark work of a stage in the Spark UI ("ingest: read invoices" rather than
 * "count at ..."), restoring the previous description on close.
 */
public final class StageDescription implements AutoCloseable {
  private static final String KEY = "spark.job.description";
  private final SparkSession spark;
  private final String previous;

  private StageDescription(SparkSession spark, String description) {
    this.spark = spark;
    this.previous = spark.sparkContext().getLocalProperty(KEY);
    spark.sparkContext().setJobDescription(description);
  }

  public static StageDescription of(SparkSession spark, String description) {
    return new StageDescription(spark, description);
  }

  @Override
  public void close() {
    spark.sparkContext().setLocalProperty(KEY, previous);
  }
}

package com.customervalue.warehouse;

import static org.apache.spark.sql.functions.col;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/** Row counts of one run read back from the written tables, for the stages' "nothing lost" checks. */
public final class RunCounts {
  private RunCounts() {}

  /** Rows of {@code runId} in a table partitioned by {@link Lineage#RUN_ID}. */
  public static long rowsOfRun(SparkSession spark, String path, String runId) {
    return spark.read().format("delta").load(path).where(col(Lineage.RUN_ID).equalTo(runId)).count();
  }

  /** Quarantined rows of {@code runId} and {@code stage}, per source. */
  public static Map<String, Long> quarantinedBySource(SparkSession spark, String path, String runId, String stage) {
    Map<String, Long> out = new TreeMap<>();
    spark.read().format("delta").load(path)
        .where(col(Quarantine.RUN_ID).equalTo(runId).and(col(Quarantine.STAGE).equalTo(stage)))
        .groupBy(Quarantine.SOURCE).count().collectAsList()
        .forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }
}

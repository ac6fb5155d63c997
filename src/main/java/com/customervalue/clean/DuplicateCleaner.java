package com.customervalue.clean;

import static com.customervalue.clean.Rules.DROP_REASON;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.CleanSettings;
import com.customervalue.sources.Source;
import com.customervalue.warehouse.Quarantine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The rule set of sources whose types and time zones ingest already settled: exact duplicate rows
 * removed (customers, web analytics, marketing events, press releases, site categories).
 */
final class DuplicateCleaner {
  private final CleanSettings settings;

  DuplicateCleaner(CleanSettings settings) {
    this.settings = settings;
  }

  CleanedSource clean(SparkSession spark, Source source, Dataset<Row> bronze) {
    Dataset<Row> flagged = bronze.withColumn(DROP_REASON,
            when(lit(settings.enabled(source.id(), Rules.DUPLICATE_LINES)).and(Rules.duplicateFlag(source)),
                lit(Rules.DUPLICATE_LINES)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> byReason = Rules.countByReason(flagged);
    long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> dropped = new LinkedHashMap<>();
    dropped.put(Rules.DUPLICATE_LINES, byReason.getOrDefault(Rules.DUPLICATE_LINES, 0L));
    Dataset<Row> silver = flagged.where(col(DROP_REASON).isNull()).drop(DROP_REASON);
    return new CleanedSource(source, silver, spark.createDataFrame(java.util.List.of(), Quarantine.SCHEMA), rowsIn,
        dropped, Map.of());
  }
}

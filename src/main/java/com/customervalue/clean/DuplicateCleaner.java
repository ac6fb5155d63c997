package com.customervalue.clean;

import static com.customervalue.clean.Rules.DROP_REASON;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.CleanSettings;
import com.customervalue.sources.Source;
import com.customervalue.warehouse.Quarantine;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The rule set of sources whose types and time zones ingest already settled: exact duplicate rows
 * removed (customers, web analytics, marketing events, press releases, site categories); for a
 * source whose only key is a required e-mail column (marketing events), rows without a usable
 * address quarantined.
 */
final class DuplicateCleaner {
  private static final String EMAIL_PROBLEM = "_email_problem";
  private final CleanSettings settings;

  DuplicateCleaner(CleanSettings settings) {
    this.settings = settings;
  }

  CleanedSource clean(SparkSession spark, Source source, Dataset<Row> bronze, String runId, Timestamp at) {
    boolean checkEmail = Rules.requiresEmail(source) && settings.enabled(source.id(), Rules.INVALID_EMAIL);
    Column emailProblem = checkEmail ? Rules.emailProblem("email") : lit(null).cast("string");
    Dataset<Row> flagged = bronze.withColumn(EMAIL_PROBLEM, emailProblem).withColumn(DROP_REASON,
            when(lit(settings.enabled(source.id(), Rules.DUPLICATE_LINES)).and(Rules.duplicateFlag(source)),
                lit(Rules.DUPLICATE_LINES))
            .when(col(EMAIL_PROBLEM).isNotNull(), lit(Rules.INVALID_EMAIL)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> byReason = Rules.countByReason(flagged);
    long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> dropped = new LinkedHashMap<>();
    dropped.put(Rules.DUPLICATE_LINES, byReason.getOrDefault(Rules.DUPLICATE_LINES, 0L));
    Dataset<Row> quarantine = checkEmail
        ? Rules.quarantine(flagged.where(col(DROP_REASON).equalTo(Rules.INVALID_EMAIL)), source, runId, at,
            Rules.INVALID_EMAIL, "email", col("email"), concat(lit("column 'email': "), col(EMAIL_PROBLEM),
                lit("; the row's only key, so it can reach no account")))
        : spark.createDataFrame(List.of(), Quarantine.SCHEMA);
    Dataset<Row> silver = flagged.where(col(DROP_REASON).isNull()).drop(DROP_REASON, EMAIL_PROBLEM);
    return new CleanedSource(source, silver, quarantine, rowsIn, dropped, Map.of(), List.of(flagged));
  }
}

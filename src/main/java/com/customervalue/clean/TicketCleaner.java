package com.customervalue.clean;

import static com.customervalue.clean.Rules.DROP_REASON;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import com.customervalue.clean.Silver.SupportTickets;
import com.customervalue.config.CleanSettings;
import com.customervalue.sources.Source;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Support tickets: exact duplicates removed; tickets closed before they were created quarantined;
 * open days counted until closed, or until the run's as_of while still open.
 */
final class TicketCleaner {
  static final String SOURCE = Source.SUPPORT_TICKETS.id();
  static final String CLOSED_BEFORE_CREATED = "closed_before_created";
  private static final double SECONDS_PER_DAY = 86_400.0;

  private final CleanSettings settings;

  TicketCleaner(CleanSettings settings) {
    this.settings = settings;
  }

  CleanedSource clean(Dataset<Row> bronze, LocalDate asOf, String runId, Timestamp at) {
    Column created = col(Source.SupportTickets.CREATED_AT);
    Column closed = col(Source.SupportTickets.CLOSED_AT);
    Column backwards = closed.isNotNull().and(closed.lt(created));
    Column reason = when(lit(settings.enabled(SOURCE, Rules.DUPLICATE_LINES)).and(Rules.duplicateFlag(
        Source.SUPPORT_TICKETS)), lit(Rules.DUPLICATE_LINES))
        .when(lit(settings.enabled(SOURCE, CLOSED_BEFORE_CREATED)).and(backwards), lit(CLOSED_BEFORE_CREATED));
    Dataset<Row> flagged = bronze.withColumn(DROP_REASON, reason).persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> byReason = Rules.countByReason(flagged);
    long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> dropped = new LinkedHashMap<>();
    if (byReason.containsKey(Rules.DUPLICATE_LINES)) {
      dropped.put(Rules.DUPLICATE_LINES, byReason.get(Rules.DUPLICATE_LINES));
    }
    Dataset<Row> quarantine = Rules.quarantine(flagged.where(col(DROP_REASON).equalTo(CLOSED_BEFORE_CREATED)),
        Source.SUPPORT_TICKETS, runId, at, CLOSED_BEFORE_CREATED, Source.SupportTickets.CLOSED_AT, closed,
        concat(lit("ticket '"), col(Source.SupportTickets.TICKET_ID), lit("' was closed at "), closed.cast("string"),
            lit(", before it was created at "), created.cast("string")));

    Timestamp asOfStart = Timestamp.valueOf(asOf.atStartOfDay());
    Column until = coalesce(closed, lit(asOfStart));
    Dataset<Row> silver = flagged.where(col(DROP_REASON).isNull()).drop(DROP_REASON)
        .withColumn(SupportTickets.OPEN_DAYS,
            round(greatest(lit(0.0), unix_seconds(until).minus(unix_seconds(created)).divide(SECONDS_PER_DAY)), 3))
        .withColumn(SupportTickets.OPEN_AT_AS_OF, closed.isNull().or(closed.geq(lit(asOfStart))))
        .withColumn(SupportTickets.OPEN_DAYS_AS_OF, lit(java.sql.Date.valueOf(asOf)));
    return new CleanedSource(Source.SUPPORT_TICKETS, silver, quarantine, rowsIn, dropped, Map.of());
  }
}

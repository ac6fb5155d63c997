package com.customervalue.clean;

import static com.customervalue.clean.Rules.DROP_REASON;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import com.customervalue.clean.Silver.SupportTickets;
import com.customervalue.config.CleanSettings;
import com.customervalue.sources.Source;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Support tickets: exact duplicates removed; tickets whose id is on several rows with different
 * content, tickets without a usable e-mail (their only key) and tickets closed before they were
 * created quarantined; open days counted until closed, or until the run's as_of while still open.
 */
final class TicketCleaner {
  static final String SOURCE = Source.SUPPORT_TICKETS.id();
  static final String CLOSED_BEFORE_CREATED = "closed_before_created";
  static final String CONFLICTING_TICKET_ID = "conflicting_ticket_id";
  private static final double SECONDS_PER_DAY = 86_400.0;
  private static final String VERSIONS = "_versions";
  private static final String EMAIL_PROBLEM = "_email_problem";

  private final CleanSettings settings;

  TicketCleaner(CleanSettings settings) {
    this.settings = settings;
  }

  private boolean on(String rule) {
    return settings.enabled(SOURCE, rule);
  }

  CleanedSource clean(Dataset<Row> bronze, LocalDate asOf, String runId, Timestamp at) {
    Column id = col(Source.SupportTickets.TICKET_ID);
    Column created = col(Source.SupportTickets.CREATED_AT);
    Column closed = col(Source.SupportTickets.CLOSED_AT);
    Column backwards = closed.isNotNull().and(closed.lt(created));
    // Distinct contents per ticket id: exact copies are one content, whatever the duplicate rule says.
    Dataset<Row> marked = bronze.withColumn("_copy", Rules.duplicateFlag(Source.SUPPORT_TICKETS))
        .withColumn(VERSIONS, sum(when(col("_copy"), 0).otherwise(1)).over(Window.partitionBy(id)))
        .withColumn(EMAIL_PROBLEM, Rules.emailProblem(Source.SupportTickets.EMAIL));
    Column reason = when(lit(on(Rules.DUPLICATE_LINES)).and(col("_copy")), lit(Rules.DUPLICATE_LINES))
        .when(lit(on(CONFLICTING_TICKET_ID)).and(col(VERSIONS).gt(1)), lit(CONFLICTING_TICKET_ID))
        .when(lit(on(Rules.INVALID_EMAIL)).and(col(EMAIL_PROBLEM).isNotNull()), lit(Rules.INVALID_EMAIL))
        .when(lit(on(CLOSED_BEFORE_CREATED)).and(backwards), lit(CLOSED_BEFORE_CREATED));
    Dataset<Row> flagged = marked.withColumn(DROP_REASON, reason).drop("_copy")
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> byReason = Rules.countByReason(flagged);
    long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> dropped = new LinkedHashMap<>();
    if (byReason.containsKey(Rules.DUPLICATE_LINES)) {
      dropped.put(Rules.DUPLICATE_LINES, byReason.get(Rules.DUPLICATE_LINES));
    }
    Dataset<Row> quarantine = Rules.quarantine(flagged.where(col(DROP_REASON).equalTo(CLOSED_BEFORE_CREATED)),
        Source.SUPPORT_TICKETS, runId, at, CLOSED_BEFORE_CREATED, Source.SupportTickets.CLOSED_AT, closed,
        concat(lit("ticket '"), id, lit("' was closed at "), closed.cast("string"),
            lit(" (column 'closed_at'), before it was created at "), created.cast("string"),
            lit(" (column 'created_at')")))
        .unionByName(Rules.quarantine(flagged.where(col(DROP_REASON).equalTo(CONFLICTING_TICKET_ID)),
            Source.SUPPORT_TICKETS, runId, at, CONFLICTING_TICKET_ID, Source.SupportTickets.TICKET_ID, id,
            concat(lit("column 'ticket_id': ticket '"), id, lit("' is on "), col(VERSIONS).cast("string"),
                lit(" rows with different content, so none of them is kept; export one row per ticket"))))
        .unionByName(Rules.quarantine(flagged.where(col(DROP_REASON).equalTo(Rules.INVALID_EMAIL)),
            Source.SUPPORT_TICKETS, runId, at, Rules.INVALID_EMAIL, Source.SupportTickets.EMAIL,
            col(Source.SupportTickets.EMAIL), concat(lit("column 'email': "), col(EMAIL_PROBLEM),
                lit("; the ticket's only key, so it can reach no account"))));
    Dataset<Row> cached = flagged;
    flagged = flagged.drop(VERSIONS, EMAIL_PROBLEM);

    Timestamp asOfStart = Timestamp.valueOf(asOf.atStartOfDay());
    Column until = coalesce(closed, lit(asOfStart));
    Dataset<Row> silver = flagged.where(col(DROP_REASON).isNull()).drop(DROP_REASON)
        .withColumn(SupportTickets.OPEN_DAYS,
            round(greatest(lit(0.0), unix_seconds(until).minus(unix_seconds(created)).divide(SECONDS_PER_DAY)), 3))
        .withColumn(SupportTickets.OPEN_AT_AS_OF, closed.isNull().or(closed.geq(lit(asOfStart))))
        .withColumn(SupportTickets.OPEN_DAYS_AS_OF, lit(java.sql.Date.valueOf(asOf)));
    return new CleanedSource(Source.SUPPORT_TICKETS, silver, quarantine, rowsIn, dropped, Map.of(), List.of(cached));
  }
}

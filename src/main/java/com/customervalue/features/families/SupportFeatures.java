package com.customervalue.features.families;

import static com.customervalue.features.families.PointInTime.EVENT_TS;
import static com.customervalue.features.families.PointInTime.countIf;
import static com.customervalue.features.families.PointInTime.daysBeforeAsOf;
import static com.customervalue.features.families.PointInTime.daysBetween;
import static com.customervalue.features.families.PointInTime.withinDays;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSettings;
import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import com.customervalue.sources.Source.SupportTickets;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Support load per account. Open days are recomputed per snapshot rather than taken from the
 * silver {@code open_days} column, which is counted up to the run's as_of and would let an older
 * snapshot see how long a ticket later stayed open: here a ticket closed on or after as_of counts
 * as open at as_of, with its open days counted up to as_of.
 */
public final class SupportFeatures implements FeatureFamily {
  public static final String TICKETS_90D = "tickets_90d";
  public static final String TICKETS_365D = "tickets_365d";
  public static final String TICKETS_TOTAL = "tickets_total";
  public static final String OPEN_DAYS_TOTAL = "open_days_total";
  public static final String OPEN_DAYS_MEAN = "open_days_mean";
  public static final String TICKETS_OPEN_AT_AS_OF = "tickets_open_at_as_of";
  public static final String DAYS_SINCE_LAST_TICKET = "days_since_last_ticket";
  public static final String SUPPORT_COST = "support_cost";
  public static final String SUPPORT_COST_365D = "support_cost_365d";

  private static final String SOURCE = Source.SUPPORT_TICKETS.id();

  public static final List<FeatureSpec> SPECS = List.of(
      new FeatureSpec(TICKETS_90D, SOURCE, "Tickets created in the 90 days before as_of.", DataTypes.LongType, 0L),
      new FeatureSpec(TICKETS_365D, SOURCE, "Tickets created in the 365 days before as_of.", DataTypes.LongType, 0L),
      new FeatureSpec(TICKETS_TOTAL, SOURCE, "Tickets created at any time before as_of.", DataTypes.LongType, 0L),
      new FeatureSpec(OPEN_DAYS_TOTAL, SOURCE, "Fractional days the tickets created before as_of were open, each"
          + " counted up to the earlier of its close and as_of.", DataTypes.DoubleType, 0d),
      new FeatureSpec(OPEN_DAYS_MEAN, SOURCE, "Mean fractional open days per ticket created before as_of, each"
          + " counted up to the earlier of its close and as_of.", DataTypes.DoubleType, null),
      new FeatureSpec(TICKETS_OPEN_AT_AS_OF, SOURCE, "Tickets created before as_of and not closed before as_of"
          + " (closed_at empty or on/after as_of).", DataTypes.LongType, 0L),
      new FeatureSpec(DAYS_SINCE_LAST_TICKET, SOURCE, "Fractional days from the last ticket created before as_of"
          + " to as_of.", DataTypes.DoubleType, null),
      new FeatureSpec(SUPPORT_COST, SOURCE, "open_days_total (tickets created before as_of) times the configured"
          + " support cost per open day.", DataTypes.DoubleType, 0d),
      new FeatureSpec(SUPPORT_COST_365D, SOURCE, "Open days of the tickets created in the 365 days before as_of (each"
          + " counted up to the earlier of its close and as_of) times the support cost per open day.",
          DataTypes.DoubleType, 0d));

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public List<FeatureSpec> specs() {
    return SPECS;
  }

  @Override
  public Dataset<Row> compute(Dataset<Row> rows, Dataset<Row> snapshots, Dataset<Row> accounts,
      FeatureSettings settings) {
    Column asOfTs = col(Snapshots.AS_OF_TS);
    Column closedBeforeAsOf = col(SupportTickets.CLOSED_AT).isNotNull().and(col(SupportTickets.CLOSED_AT).lt(asOfTs));
    // A close on or after as_of is future knowledge: such a ticket is still open at as_of.
    Column openUntil = when(closedBeforeAsOf, col(SupportTickets.CLOSED_AT)).otherwise(asOfTs);
    Column openDays = greatest(daysBetween(col(EVENT_TS), openUntil), lit(0d));

    Dataset<Row> aggregated = PointInTime.eventsBefore(
            PointInTime.keyed(rows), snapshots, col(SupportTickets.CREATED_AT))
        .withColumn(OPEN_DAYS_TOTAL, openDays)
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF), asOfTs)
        .agg(
            countIf(withinDays(90)).as(TICKETS_90D),
            countIf(withinDays(365)).as(TICKETS_365D),
            count(lit(1)).as(TICKETS_TOTAL),
            coalesce(sum(col(OPEN_DAYS_TOTAL)), lit(0d)).as(OPEN_DAYS_TOTAL),
            avg(col(OPEN_DAYS_TOTAL)).as(OPEN_DAYS_MEAN),
            countIf(not(closedBeforeAsOf)).as(TICKETS_OPEN_AT_AS_OF),
            max(col(EVENT_TS)).as(DAYS_SINCE_LAST_TICKET),
            coalesce(sum(when(withinDays(365), col(OPEN_DAYS_TOTAL))), lit(0d)).as(SUPPORT_COST_365D))
        .withColumn(DAYS_SINCE_LAST_TICKET, daysBeforeAsOf(col(DAYS_SINCE_LAST_TICKET)))
        .withColumn(SUPPORT_COST, col(OPEN_DAYS_TOTAL).multiply(lit(settings.supportCostPerDay())))
        .withColumn(SUPPORT_COST_365D, col(SUPPORT_COST_365D).multiply(lit(settings.supportCostPerDay())));
    return PointInTime.output(aggregated, SPECS);
  }
}

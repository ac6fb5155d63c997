package com.customervalue.features.families;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The point-in-time building blocks the families share, so that "strictly before as_of" and
 * "in the N days before as_of" are written once: every family pairs its events with the
 * snapshots they precede and aggregates per (account_key, as_of).
 */
final class PointInTime {
  /** The event instant a family compares with {@link Snapshots#AS_OF_TS}. */
  static final String EVENT_TS = "_event_ts";

  private static final double MICROS_PER_DAY = 86_400_000_000d;

  private PointInTime() {}

  /**
   * Each event paired with every snapshot it precedes ({@code event_ts < _as_of_ts}). The grid
   * is small and broadcast, so the non-equi join does not shuffle the events.
   *
   * @param eventTs the event's instant, evaluated on {@code rows}
   */
  static Dataset<Row> eventsBefore(Dataset<Row> rows, Dataset<Row> snapshots, Column eventTs) {
    // Silver support tickets carry the run's as_of; the snapshot's as_of is the one that counts.
    Dataset<Row> events = rows.withColumn(EVENT_TS, eventTs).where(col(EVENT_TS).isNotNull())
        .drop(Snapshots.AS_OF, Snapshots.AS_OF_TS);
    Dataset<Row> grid = broadcast(snapshots.select(Snapshots.AS_OF, Snapshots.AS_OF_TS));
    return events.join(grid, events.col(EVENT_TS).lt(grid.col(Snapshots.AS_OF_TS)));
  }

  /** Keyed rows that belong to an account; rows the identity stage could not key are ignored. */
  static Dataset<Row> keyed(Dataset<Row> rows) {
    return rows.where(col(Keyed.ACCOUNT_KEY).isNotNull());
  }

  /** A date as the start of that UTC day, independent of the session time zone. */
  static Column startOfDay(Column date) {
    return timestamp_seconds(unix_date(date).cast("long").multiply(86_400L));
  }

  /** Fractional days from {@code ts} to {@code end}. */
  static Column daysBetween(Column ts, Column end) {
    return unix_micros(end).minus(unix_micros(ts)).divide(MICROS_PER_DAY);
  }

  /** Fractional days from {@code ts} to the snapshot's {@link Snapshots#AS_OF_TS}. */
  static Column daysBeforeAsOf(Column ts) {
    return daysBetween(ts, col(Snapshots.AS_OF_TS));
  }

  /** Whether the event lies in [as_of_ts - days, as_of_ts) (the upper bound holds by the join). */
  static Column withinDays(int days) {
    return unix_micros(col(Snapshots.AS_OF_TS)).minus(unix_micros(col(EVENT_TS))).leq(lit(days * 86_400_000_000L));
  }

  /** Whether the event lies in [as_of_ts - toDays, as_of_ts - fromDays). */
  static Column withinDays(int fromDays, int toDays) {
    Column age = unix_micros(col(Snapshots.AS_OF_TS)).minus(unix_micros(col(EVENT_TS)));
    return age.gt(lit(fromDays * 86_400_000_000L)).and(age.leq(lit(toDays * 86_400_000_000L)));
  }

  /** Number of rows where {@code condition} holds, 0 when none. */
  static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** Sum of {@code value} where {@code condition} holds, 0 when none (nulls count as 0). */
  static Column sumIf(Column condition, Column value) {
    return coalesce(sum(when(condition, coalesce(value, lit(0L))).otherwise(0L)), lit(0L));
  }

  /** The family's output: account_key, as_of, then exactly the specs' columns, in order and type. */
  static Dataset<Row> output(Dataset<Row> aggregated, List<FeatureSpec> specs) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(Keyed.ACCOUNT_KEY));
    columns.add(col(Snapshots.AS_OF));
    specs.forEach(s -> columns.add(col(s.name()).cast(s.type()).as(s.name())));
    return aggregated.select(columns.toArray(Column[]::new));
  }
}

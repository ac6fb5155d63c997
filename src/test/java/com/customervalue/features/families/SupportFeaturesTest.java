package com.customervalue.features.families;

import static com.customervalue.features.families.FamilyRows.SETTINGS;
import static com.customervalue.features.families.FamilyRows.assertSameRows;
import static com.customervalue.features.families.FamilyRows.assertSchema;
import static com.customervalue.features.families.FamilyRows.date;
import static com.customervalue.features.families.FamilyRows.grid;
import static com.customervalue.features.families.FamilyRows.rendered;
import static com.customervalue.features.families.FamilyRows.ts;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class SupportFeaturesTest {
  /** Keyed silver tickets, including the run-level as_of cleaning adds (it must not be used). */
  static final StructType SCHEMA = new StructType()
      .add("ticket_id", DataTypes.StringType)
      .add("account_key", DataTypes.StringType)
      .add("created_at", DataTypes.TimestampType)
      .add("closed_at", DataTypes.TimestampType)
      .add("subject", DataTypes.StringType)
      .add("open_days", DataTypes.DoubleType)
      .add("open_days_as_of", DataTypes.DateType);

  static Row ticket(String id, String account, String created, String closed, String subject) {
    return RowFactory.create(id, account, ts(created), closed == null ? null : ts(closed), subject, 999d,
        date("2024-07-01"));
  }

  static List<Row> tickets() {
    return List.of(
        ticket("t1", "a.com", "2024-01-01T00:00:00Z", "2024-01-03T12:00:00Z", "Login Broken"),
        // The day before the first as_of, closed after it: open at 2024-03-01 for one day.
        ticket("t2", "a.com", "2024-02-29T00:00:00Z", "2024-03-05T00:00:00Z", "Invoice question"),
        // Exactly at the first as_of: not seen by it.
        ticket("t3", "a.com", "2024-03-01T00:00:00Z", null, "Printer jam"),
        ticket("t4", "b.com", "2023-01-15T06:00:00Z", "2023-01-16T06:00:00Z", "Hello"),
        ticket("t5", "b.com", "2024-05-31T12:00:00Z", null, null),
        ticket("t6", "c.com", "2024-06-01T00:00:00Z", null, "Too late"),
        ticket("t7", null, "2024-01-10T00:00:00Z", null, "Nobody"));
  }

  private Dataset<Row> compute(SparkSession spark, List<Row> rows, String... asOf) {
    return new SupportFeatures().compute(spark.createDataFrame(rows, SCHEMA), grid(spark, asOf), null, SETTINGS);
  }

  @Test
  void countsOpenDaysAndRecencyPerSnapshot(SparkSession spark) {
    Dataset<Row> result = compute(spark, tickets(), "2024-03-01", "2024-06-01");

    assertSchema(result, new SupportFeatures());
    // tickets_90d tickets_365d tickets_total open_days_total open_days_mean open_at days_since support_cost
    // support_cost_365d (b.com's first ticket is over a year old by 2024-03-01: its day no longer counts)
    assertThat(rendered(result)).containsExactly(
        "a.com 2024-03-01 2 2 2 3.5000 1.7500 1 1.0000 35.0000 35.0000",
        "a.com 2024-06-01 0 3 3 99.5000 33.1667 1 92.0000 995.0000 995.0000",
        "b.com 2024-03-01 0 0 1 1.0000 1.0000 0 410.7500 10.0000 0.0000",
        "b.com 2024-06-01 1 1 2 1.5000 0.7500 1 0.5000 15.0000 5.0000");
  }

  @Test
  void emptySourceGivesNoRows(SparkSession spark) {
    Dataset<Row> result = compute(spark, List.of(), "2024-03-01");

    assertSchema(result, new SupportFeatures());
    assertThat(result.count()).isZero();
  }

  @Test
  void rowsOnOrAfterAsOfDoNotChangeTheResult(SparkSession spark) {
    List<Row> changed = new ArrayList<>(tickets().stream()
        .filter(r -> !r.getString(0).equals("t3") && !r.getString(0).equals("t2"))
        .toList());
    changed.add(ticket("t2", "a.com", "2024-02-29T00:00:00Z", null, "Invoice question"));
    changed.add(ticket("t8", "a.com", "2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z", "New"));
    changed.add(ticket("t9", "b.com", "2024-04-01T00:00:00Z", null, "Later"));
    changed.add(ticket("t10", "d.com", "2024-03-01T00:00:01Z", null, "Brand new account"));

    assertSameRows(compute(spark, changed, "2024-03-01"), compute(spark, tickets(), "2024-03-01"));
  }
}

package com.customervalue.features.families;

import static com.customervalue.features.families.FamilyRows.SETTINGS;
import static com.customervalue.features.families.FamilyRows.assertSameRows;
import static com.customervalue.features.families.FamilyRows.assertSchema;
import static com.customervalue.features.families.FamilyRows.date;
import static com.customervalue.features.families.FamilyRows.grid;
import static com.customervalue.features.families.FamilyRows.rendered;
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
class WebFeaturesTest {
  static final StructType SCHEMA = new StructType()
      .add("date", DataTypes.DateType)
      .add("domain", DataTypes.StringType)
      .add("account_key", DataTypes.StringType)
      .add("sessions", DataTypes.IntegerType)
      .add("page_views", DataTypes.IntegerType);

  static Row day(String date, String account, int sessions, Integer pageViews) {
    return RowFactory.create(date(date), account, account, sessions, pageViews);
  }

  static List<Row> days() {
    return List.of(
        day("2024-01-30", "a.com", 5, 7),
        // 30 days before the first as_of: inside its 30-day window.
        day("2024-01-31", "a.com", 2, null),
        // The day before the first as_of: seen by it.
        day("2024-02-29", "a.com", 3, 10),
        // The first as_of itself: not seen by it.
        day("2024-03-01", "a.com", 100, 100),
        day("2024-05-02", "b.com", 4, 8),
        // A day with a row but no session is not a visit.
        day("2024-05-31", "b.com", 0, 0),
        day("2024-06-01", "c.com", 50, 50),
        day("2024-02-01", null, 9, 9));
  }

  private Dataset<Row> compute(SparkSession spark, List<Row> rows, String... asOf) {
    return new WebFeatures().compute(spark.createDataFrame(rows, SCHEMA), grid(spark, asOf), null, SETTINGS);
  }

  @Test
  void sumsWindowsTrendAndRecencyPerSnapshot(SparkSession spark) {
    Dataset<Row> result = compute(spark, days(), "2024-03-01", "2024-06-01");

    assertSchema(result, new WebFeatures());
    // sessions_30d sessions_90d page_views_30d page_views_90d sessions_trend days_since_last_visit
    assertThat(rendered(result)).containsExactly(
        "a.com 2024-03-01 5 10 10 17 10 1",
        "a.com 2024-06-01 0 0 0 0 -110 92",
        "b.com 2024-06-01 4 4 8 8 4 30");
  }

  @Test
  void emptySourceGivesNoRows(SparkSession spark) {
    Dataset<Row> result = compute(spark, List.of(), "2024-03-01");

    assertSchema(result, new WebFeatures());
    assertThat(result.count()).isZero();
  }

  @Test
  void rowsOnOrAfterAsOfDoNotChangeTheResult(SparkSession spark) {
    List<Row> changed = new ArrayList<>(days().stream()
        .filter(r -> r.getDate(0).toLocalDate().isBefore(java.time.LocalDate.parse("2024-03-01")))
        .toList());
    changed.add(day("2024-03-01", "a.com", 1, 1));
    changed.add(day("2024-03-01", "d.com", 7, 7));
    changed.add(day("2024-04-15", "b.com", 3, 3));

    assertSameRows(compute(spark, changed, "2024-03-01"), compute(spark, days(), "2024-03-01"));
  }
}

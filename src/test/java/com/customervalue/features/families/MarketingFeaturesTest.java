package com.customervalue.features.families;

import static com.customervalue.features.families.FamilyRows.SETTINGS;
import static com.customervalue.features.families.FamilyRows.assertSameRows;
import static com.customervalue.features.families.FamilyRows.assertSchema;
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
class MarketingFeaturesTest {
  static final StructType SCHEMA = new StructType()
      .add("email", DataTypes.StringType)
      .add("event_type", DataTypes.StringType)
      .add("campaign", DataTypes.StringType)
      .add("event_time", DataTypes.TimestampType)
      .add("account_key", DataTypes.StringType);

  static Row event(String account, String type, String campaign, String time) {
    return RowFactory.create("x@" + account, type, campaign, ts(time), account);
  }

  static List<Row> events() {
    return List.of(
        event("a.com", "chat", null, "2024-01-15T00:00:00Z"),
        event("a.com", "sent", "c1", "2024-02-10T10:00:00Z"),
        event("a.com", "open", "c1", "2024-02-11T00:00:00Z"),
        event("a.com", "click", "c1", "2024-02-11T00:05:00Z"),
        // The day before the first as_of: seen by it.
        event("a.com", "sent", "c2", "2024-02-29T12:00:00Z"),
        // Exactly at the first as_of: not seen by it.
        event("a.com", "open", "c2", "2024-03-01T00:00:00Z"),
        event("a.com", "unsubscribe", "c2", "2024-03-10T00:00:00Z"),
        // Opened with no send in the window: the rate stays null.
        event("b.com", "open", "c3", "2024-05-01T00:00:00Z"),
        event("b.com", "chat", null, "2024-05-31T18:00:00Z"),
        event("c.com", "sent", "c4", "2024-06-01T00:00:00Z"),
        event(null, "sent", "c1", "2024-02-10T10:00:00Z"));
  }

  private Dataset<Row> compute(SparkSession spark, List<Row> rows, String... asOf) {
    return new MarketingFeatures().compute(spark.createDataFrame(rows, SCHEMA), grid(spark, asOf), null, SETTINGS);
  }

  @Test
  void countsRatesAndRecencyPerSnapshot(SparkSession spark) {
    Dataset<Row> result = compute(spark, events(), "2024-03-01", "2024-06-01");

    assertSchema(result, new MarketingFeatures());
    // sent opened clicked open_rate click_rate chats unsubscribed days_since_last_touch campaigns
    assertThat(rendered(result)).containsExactly(
        "a.com 2024-03-01 2 1 1 0.5000 0.5000 1 0 0.5000 2",
        "a.com 2024-06-01 0 0 0 null null 1 1 83.0000 2",
        "b.com 2024-06-01 0 1 0 null null 1 0 0.2500 1");
  }

  @Test
  void emptySourceGivesNoRows(SparkSession spark) {
    Dataset<Row> result = compute(spark, List.of(), "2024-03-01");

    assertSchema(result, new MarketingFeatures());
    assertThat(result.count()).isZero();
  }

  @Test
  void rowsOnOrAfterAsOfDoNotChangeTheResult(SparkSession spark) {
    List<Row> changed = new ArrayList<>(events().stream()
        .filter(r -> r.getTimestamp(3).before(ts("2024-03-01T00:00:00Z")))
        .toList());
    changed.add(event("a.com", "unsubscribe", "c9", "2024-03-01T00:00:00Z"));
    changed.add(event("a.com", "click", "c2", "2024-03-02T00:00:00Z"));
    changed.add(event("d.com", "sent", "c1", "2024-04-01T00:00:00Z"));

    assertSameRows(compute(spark, changed, "2024-03-01"), compute(spark, events(), "2024-03-01"));
  }
}

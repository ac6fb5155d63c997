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
class PressReleaseFeaturesTest {
  static final StructType SCHEMA = new StructType()
      .add("release_date", DataTypes.DateType)
      .add("title", DataTypes.StringType)
      .add("topic", DataTypes.StringType);

  static final StructType ACCOUNTS = new StructType()
      .add("account_key", DataTypes.StringType)
      .add("as_of", DataTypes.DateType)
      .add("last_purchase_ts", DataTypes.TimestampType);

  static Row release(String date, String topic) {
    return RowFactory.create(date(date), "News of " + date, topic);
  }

  static List<Row> releases() {
    return List.of(
        // 366 days before the first as_of (2024 is a leap year): outside its 365-day window.
        release("2023-03-01", "award"),
        release("2023-03-02", "award"),
        release("2023-12-02", null),
        release("2024-01-31", "customer-story"),
        // The day before the first as_of: seen by it.
        release("2024-02-29", "new-process"),
        // The first as_of itself: not seen by it.
        release("2024-03-01", "product-update"),
        release("2024-04-15", " Event "),
        release("2024-05-20", "webinar"));
  }

  static Row account(String key, String asOf, String lastPurchase) {
    return RowFactory.create(key, date(asOf), lastPurchase == null ? null : ts(lastPurchase));
  }

  private Dataset<Row> accounts(SparkSession spark, String... asOf) {
    List<Row> rows = new ArrayList<>();
    for (String day : asOf) {
      if (day.equals("2024-03-01")) {
        rows.add(account("a.com", day, "2024-02-29T00:00:00Z"));
        rows.add(account("b.com", day, null));
      } else {
        rows.add(account("a.com", day, "2024-02-29T10:00:00Z"));
        rows.add(account("b.com", day, "2024-05-25T00:00:00Z"));
      }
    }
    return spark.createDataFrame(rows, ACCOUNTS);
  }

  private Dataset<Row> compute(SparkSession spark, List<Row> rows, String... asOf) {
    return new PressReleaseFeatures().compute(spark.createDataFrame(rows, SCHEMA), grid(spark, asOf),
        accounts(spark, asOf), SETTINGS);
  }

  @Test
  void attachesTheCalendarToEveryAccount(SparkSession spark) {
    Dataset<Row> result = compute(spark, releases(), "2024-03-01", "2024-06-01");

    assertSchema(result, new PressReleaseFeatures());
    assertThat(result.columns()).contains("releases_365d_new_process", "releases_365d_product_update");
    // 30d 90d days_since since_last_purchase new_process customer_story award event product_update
    assertThat(rendered(result)).containsExactly(
        "a.com 2024-03-01 2 3 1 1 1 1 1 0 0",
        "a.com 2024-06-01 1 2 12 3 1 1 0 1 1",
        "b.com 2024-03-01 2 3 1 0 1 1 1 0 0",
        "b.com 2024-06-01 1 2 12 0 1 1 0 1 1");
  }

  @Test
  void emptySourceGivesNoRows(SparkSession spark) {
    Dataset<Row> result = compute(spark, List.of(), "2024-03-01");

    assertSchema(result, new PressReleaseFeatures());
    assertThat(result.count()).isZero();
  }

  @Test
  void rowsOnOrAfterAsOfDoNotChangeTheResult(SparkSession spark) {
    List<Row> changed = new ArrayList<>(releases().stream()
        .filter(r -> r.getDate(0).before(date("2024-03-01")))
        .toList());
    changed.add(release("2024-03-01", "award"));
    changed.add(release("2024-03-01", "new-process"));
    changed.add(release("2024-05-01", "event"));

    assertSameRows(compute(spark, changed, "2024-03-01"), compute(spark, releases(), "2024-03-01"));
  }
}

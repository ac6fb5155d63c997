package com.customervalue.features.families;

import static com.customervalue.features.families.FamilyRows.SETTINGS;
import static com.customervalue.features.families.FamilyRows.assertSameRows;
import static com.customervalue.features.families.FamilyRows.assertSchema;
import static com.customervalue.features.families.FamilyRows.grid;
import static com.customervalue.features.families.FamilyRows.rendered;
import static com.customervalue.features.families.SupportFeaturesTest.SCHEMA;
import static com.customervalue.features.families.SupportFeaturesTest.ticket;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class TextFeaturesTest {
  static List<Row> tickets() {
    List<Row> rows = new ArrayList<>(SupportFeaturesTest.tickets());
    // Opened at the same instant as t4: the ticket id decides the order.
    rows.add(ticket("t4b", "b.com", "2023-01-15T06:00:00Z", null, "  Same TIME "));
    rows.add(ticket("t0", "b.com", "2024-01-01T00:00:00Z", null, "   "));
    return rows;
  }

  private Dataset<Row> compute(SparkSession spark, List<Row> rows, String... asOf) {
    return new TextFeatures().compute(spark.createDataFrame(rows, SCHEMA), grid(spark, asOf), null, SETTINGS);
  }

  @Test
  void joinsSubjectsInCreationOrder(SparkSession spark) {
    Dataset<Row> result = compute(spark, tickets(), "2024-03-01", "2024-06-01");

    assertSchema(result, new TextFeatures());
    assertThat(rendered(result)).containsExactly(
        "a.com 2024-03-01 login broken invoice question",
        "a.com 2024-06-01 login broken invoice question printer jam",
        "b.com 2024-03-01 hello same time",
        "b.com 2024-06-01 hello same time");
  }

  @Test
  void emptySourceGivesNoRows(SparkSession spark) {
    Dataset<Row> result = compute(spark, List.of(), "2024-03-01");

    assertSchema(result, new TextFeatures());
    assertThat(result.count()).isZero();
  }

  @Test
  void rowsOnOrAfterAsOfDoNotChangeTheResult(SparkSession spark) {
    List<Row> changed = new ArrayList<>(tickets().stream()
        .filter(r -> !r.getString(0).equals("t3"))
        .toList());
    changed.add(ticket("t3", "a.com", "2024-03-01T00:00:00Z", null, "Changed subject"));
    changed.add(ticket("t8", "a.com", "2024-03-20T00:00:00Z", null, "Later"));
    changed.add(ticket("t9", "d.com", "2024-03-01T00:00:01Z", null, "New account"));

    assertSameRows(compute(spark, changed, "2024-03-01"), compute(spark, tickets(), "2024-03-01"));
  }
}

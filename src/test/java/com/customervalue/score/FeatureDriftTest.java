package com.customervalue.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.testing.SparkExtension;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The drift figures on rows small enough to count by hand: the expected values are worked out here
 * from the bucket shares, not by the product's code.
 */
@ExtendWith(SparkExtension.class)
class FeatureDriftTest {
  private static final StructType SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType).add("n", DataTypes.LongType).add("industry", DataTypes.StringType);
  private static final double FLOOR = FeatureDrift.EMPTY_BIN_SHARE;

  /** Rows of (x, n, industry); n is x as a long, or null. */
  private static Dataset<Row> rows(SparkSession spark, Double[] x, String[] industry) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create(x[i], x[i] == null || x[i].isNaN() ? null : Math.round(x[i]), industry[i]));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static Map<String, Row> byFeature(Dataset<Row> compared) {
    return compared.collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
  }

  /** One bucket's term of the index, shares as fractions, empty shares at the floor. */
  private static double term(double scored, double training) {
    double a = Math.max(scored, FLOOR);
    double e = Math.max(training, FLOOR);
    return (a - e) * Math.log(a / e);
  }

  private static String[] values(String... values) {
    return values;
  }

  @Test
  void identicalDistributionsHaveAnIndexOfZero(SparkSession spark) {
    Double[] x = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, null, 10.0};
    String[] industry = values("a", "a", "b", "b", "b", "c", null, "a", "c", "b");
    Dataset<Row> training = rows(spark, x, industry);
    // The same values in another order, twice over: the shares are the same.
    List<Double> shuffled = new ArrayList<>(Arrays.asList(x));
    java.util.Collections.reverse(shuffled);
    List<String> industries = new ArrayList<>(Arrays.asList(industry));
    java.util.Collections.reverse(industries);
    shuffled.addAll(shuffled);
    industries.addAll(industries);
    Dataset<Row> scored = rows(spark, shuffled.toArray(Double[]::new), industries.toArray(String[]::new));

    Map<String, Row> drift = byFeature(FeatureDrift.compare(training, scored, List.of("x", "n"), List.of("industry"), 4));

    for (String feature : List.of("x", "n", "industry")) {
      Row r = drift.get(feature);
      assertThat(r.getDouble(2)).as("psi of %s", feature).isCloseTo(0.0, within(1e-12));
      assertThat(r.getLong(4)).as("training rows").isEqualTo(10);
      assertThat(r.getLong(5)).as("scored rows").isEqualTo(20);
    }
    assertThat(drift.get("industry").getDouble(3)).as("unseen share").isZero();
    assertThat(drift.get("x").isNullAt(3)).as("no unseen share for a number").isTrue();
  }

  @Test
  void aKnownShiftGivesTheHandComputedIndexWithNullsInTheirOwnBin(SparkSession spark) {
    // Training: 1..8 and two missing values (a null and a NaN); the median 4 splits 1..8 in halves.
    Double[] x = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, null, Double.NaN};
    String[] none = new String[10];
    // Scored: seven values up to 4, none above it, three missing.
    Double[] shifted = {1.0, 1.0, 2.0, 2.0, 3.0, 4.0, 4.0, null, null, Double.NaN};
    Dataset<Row> training = rows(spark, x, none);
    Dataset<Row> scored = rows(spark, shifted, none);

    assertThat(FeatureDrift.cutPoints(training, List.of("x"), 2).get("x")).containsExactly(4.0);
    Row r = byFeature(FeatureDrift.compare(training, scored, List.of("x"), List.of(), 2)).get("x");

    // Bins: x <= 4 (training 4 of 10, scored 7 of 10), x > 4 (4 of 10, none), missing (2 of 10, 3 of 10).
    double expected = (0.7 - 0.4) * Math.log(0.7 / 0.4) + (FLOOR - 0.4) * Math.log(FLOOR / 0.4)
        + (0.3 - 0.2) * Math.log(0.3 / 0.2);
    assertThat(expected).as("the hand-computed index").isCloseTo(3.5252, within(1e-4));
    assertThat(r.getString(1)).isEqualTo(FeatureDrift.NUMERIC);
    assertThat(r.getDouble(2)).isCloseTo(expected, within(1e-12));
    assertThat(r.getInt(6)).as("two value bins and the missing bin").isEqualTo(3);
  }

  @Test
  void tiedQuantilesAreMergedIntoFewerBins(SparkSession spark) {
    Double[] x = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0};
    Dataset<Row> training = rows(spark, x, new String[10]);
    Double[] scored = {0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 2.0};

    assertThat(FeatureDrift.cutPoints(training, List.of("x"), 10).get("x")).containsExactly(0.0, 1.0);
    Row r = byFeature(FeatureDrift.compare(training, rows(spark, scored, new String[10]), List.of("x"), List.of(), 10))
        .get("x");

    // Bins x <= 0, 0 < x <= 1, x > 1 (empty in training), missing (empty on both sides: adds 0).
    double expected = term(0.5, 0.8) + term(0.4, 0.2) + term(0.1, 0.0);
    assertThat(r.getDouble(2)).isCloseTo(expected, within(1e-12));
    assertThat(r.getInt(6)).isEqualTo(4);
  }

  @Test
  void categoriesNeverSeenInTrainingShareOneBucketAndCountAsUnseen(SparkSession spark) {
    Double[] x = new Double[10];
    Arrays.fill(x, 1.0);
    Dataset<Row> training = rows(spark, x, values("a", "a", "a", "a", "a", "b", "b", "b", null, null));
    Dataset<Row> scored = rows(spark, x, values("a", "a", "a", "a", "b", "c", "c", "d", null, null));

    Row r = byFeature(FeatureDrift.compare(training, scored, List.of(), List.of("industry"), 10)).get("industry");

    // Buckets: a (5/10 -> 4/10), b (3/10 -> 1/10), unseen c and d (none -> 3/10), missing (2/10 -> 2/10).
    double expected = term(0.4, 0.5) + term(0.1, 0.3) + term(0.3, 0.0) + term(0.2, 0.2);
    assertThat(r.getString(1)).isEqualTo(FeatureDrift.CATEGORICAL);
    assertThat(r.getDouble(2)).isCloseTo(expected, within(1e-12));
    assertThat(r.getDouble(3)).as("unseen share: c, c and d; nulls are not unseen").isCloseTo(0.3, within(1e-12));
    assertThat(r.getInt(6)).as("a, b, unseen and missing").isEqualTo(4);
  }

  @Test
  void rowsCarryTheRunAndAWarnStatusAboveEitherThreshold(SparkSession spark) {
    Dataset<Row> training = rows(spark, new Double[] {1.0, 2.0, 3.0, 4.0}, values("a", "a", "b", "b"));
    Dataset<Row> scored = rows(spark, new Double[] {1.0, 2.0, 3.0, 4.0}, values("a", "a", "b", "z"));
    Dataset<Row> compared = FeatureDrift.compare(training, scored, List.of("x"), List.of("industry"), 2);
    LocalDate day = LocalDate.of(2024, 5, 1);
    Timestamp at = Timestamp.valueOf("2024-05-02 03:04:05");
    FeatureDrift.Subject subject = new FeatureDrift.Subject("s1", day, "returned", "gbt", "t1",
        List.of(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 4, 1)), at);

    // industry: one of four scored rows is unseen (25%); its index is well above 1. x did not move.
    Dataset<Row> strict = FeatureDrift.rows(compared, subject, 0.25, 0.05);
    Dataset<Row> lenient = FeatureDrift.rows(compared, subject, 100, 0.05);
    Dataset<Row> off = FeatureDrift.rows(compared, subject, 100, 0.5);

    // Literals come out NOT NULL; the table itself is written with the declared (nullable) schema.
    assertThat(described(strict.schema())).isEqualTo(described(FeatureDrift.SCHEMA));
    assertThat(statuses(strict)).containsExactly("industry=warn", "x=ok");
    assertThat(statuses(lenient)).as("the unseen share alone flags it").containsExactly("industry=warn", "x=ok");
    assertThat(statuses(off)).containsExactly("industry=ok", "x=ok");
    Row industry = strict.where("feature = 'industry'").first();
    assertThat(industry.<String>getAs("run_id")).isEqualTo("s1");
    assertThat(industry.<java.sql.Date>getAs("score_date").toLocalDate()).isEqualTo(day);
    assertThat(industry.<String>getAs("model_run_id")).isEqualTo("t1");
    assertThat(industry.getList(industry.fieldIndex("training_snapshots")).stream()
        .map(d -> ((java.sql.Date) d).toLocalDate().toString()).toList()).containsExactly("2023-01-01", "2023-04-01");
    assertThat(industry.<Double>getAs("unseen_share")).isEqualTo(0.25);
    assertThat(industry.<Timestamp>getAs("computed_at")).isEqualTo(at);
    for (var f : FeatureDrift.SCHEMA.fields()) {
      assertThat(f.getComment().isDefined()).as("comment on %s", f.name()).isTrue();
    }
  }

  private static List<String> described(StructType schema) {
    return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString() + " " + f.metadata())
        .toList();
  }

  private static List<String> statuses(Dataset<Row> rows) {
    return rows.orderBy("feature").collectAsList().stream()
        .map(r -> r.getAs("feature") + "=" + r.getAs("status")).toList();
  }
}

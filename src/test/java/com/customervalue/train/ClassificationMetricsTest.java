package com.customervalue.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.testing.SparkExtension;
import com.customervalue.train.ClassificationMetrics.CalibrationBin;
import com.customervalue.train.ClassificationMetrics.Report;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class ClassificationMetricsTest {
  private static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.IntegerType).add("probability", DataTypes.DoubleType);
  private static final Comparator<Double> CLOSE = (a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b);
  private static final RecursiveComparisonConfiguration DOUBLES_CLOSE =
      RecursiveComparisonConfiguration.builder().withComparatorForType(CLOSE, Double.class).build();

  /**
   * Ten rows, four positives (0.9, 0.8, 0.6, 0.4). Pairs with the positive ranked above the
   * negative: 6 + 6 + 5 + 4 = 21 of 4 * 6, so ROC-AUC = 21/24.
   */
  private static Dataset<Row> tenRows(SparkSession spark) {
    return scored(spark, new Object[][] {
        {1, 0.9}, {1, 0.8}, {0, 0.7}, {1, 0.6}, {0, 0.55}, {1, 0.4}, {0, 0.3}, {0, 0.2}, {0, 0.1}, {0, 0.05}});
  }

  @Test
  void tenRowExampleMatchesHandComputedMetrics(SparkSession spark) {
    Report report = ClassificationMetrics.evaluate(tenRows(spark), "label", "probability", 0.5);

    assertThat(report.rows()).isEqualTo(10);
    assertThat(report.positiveRate()).isCloseTo(0.4, within(1e-12));
    assertThat(report.rocAuc()).isCloseTo(21.0 / 24, within(1e-12));
    // PR points (recall, precision) by falling threshold: (0, 1) (.25, 1) (.5, 1) (.5, 2/3) (.75, .75)
    // (.75, .6) (1, 2/3) then recall stays 1; trapezoids give the area.
    assertThat(report.prAuc()).isCloseTo(0.5 + (2.0 / 3 + 0.75) / 2 * 0.25 + (0.6 + 2.0 / 3) / 2 * 0.25,
        within(1e-12));
    double logLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.6) + Math.log(0.45)
        + Math.log(0.4) + Math.log(0.7) + Math.log(0.8) + Math.log(0.9) + Math.log(0.95)) / 10;
    assertThat(report.logLoss()).isCloseTo(logLoss, within(1e-12));
    // (p - y)^2: .01 .04 .49 .16 .3025 .36 .09 .04 .01 .0025
    assertThat(report.brier()).isCloseTo(1.505 / 10, within(1e-12));
    // p >= 0.5: 0.9 0.8 0.7 0.6 0.55 -> TP 3, FP 2; below: FN 1 (0.4), TN 4.
    assertThat(report.threshold()).isEqualTo(0.5);
    assertThat(report.accuracy()).isCloseTo(0.7, within(1e-12));
    assertThat(report.precision()).isCloseTo(0.6, within(1e-12));
    assertThat(report.recall()).isCloseTo(0.75, within(1e-12));
    assertThat(report.f1()).isCloseTo(2.0 / 3, within(1e-12));
    // The top tenth is the single row 0.9, a positive: 1 / 0.4.
    assertThat(report.liftTopDecile()).isCloseTo(2.5, within(1e-12));
    // One row per decile, lowest probability first.
    assertThat(report.calibration()).usingRecursiveFieldByFieldElementComparator(DOUBLES_CLOSE).containsExactly(
        new CalibrationBin(1, 1, 0.05, 0), new CalibrationBin(2, 1, 0.1, 0), new CalibrationBin(3, 1, 0.2, 0),
        new CalibrationBin(4, 1, 0.3, 0), new CalibrationBin(5, 1, 0.4, 1), new CalibrationBin(6, 1, 0.55, 0),
        new CalibrationBin(7, 1, 0.6, 1), new CalibrationBin(8, 1, 0.7, 0), new CalibrationBin(9, 1, 0.8, 1),
        new CalibrationBin(10, 1, 0.9, 1));
  }

  @Test
  void perfectSeparationHasAreasOfOne(SparkSession spark) {
    Dataset<Row> scored = scored(spark, new Object[][] {
        {0, 0.1}, {0, 0.2}, {0, 0.3}, {1, 0.7}, {1, 0.8}, {1, 0.9}});

    Report report = ClassificationMetrics.evaluate(scored, "label", "probability", 0.5);

    assertThat(report.rocAuc()).isCloseTo(1.0, within(1e-12));
    assertThat(report.prAuc()).isCloseTo(1.0, within(1e-12));
    assertThat(report.accuracy()).isEqualTo(1.0);
    assertThat(report.f1()).isEqualTo(1.0);
    assertThat(report.logLoss()).isCloseTo(-2 * (Math.log(0.9) + Math.log(0.8) + Math.log(0.7)) / 6, within(1e-12));
  }

  @Test
  void tiedScoresCountHalfInTheRocArea(SparkSession spark) {
    // Positives .8 and .5, negatives .5 and .2: three pairs ordered right, one tied -> 3.5 / 4.
    Dataset<Row> scored = scored(spark, new Object[][] {{1, 0.8}, {1, 0.5}, {0, 0.5}, {0, 0.2}});

    Report report = ClassificationMetrics.evaluate(scored, "label", "probability", 0.5);

    assertThat(report.rocAuc()).isCloseTo(0.875, within(1e-12));
    // PR points: (0, 1) (.5, 1) (1, 2/3) (1, .5).
    assertThat(report.prAuc()).isCloseTo(0.5 + 0.5 * (1 + 2.0 / 3) / 2, within(1e-12));
    // The tied .5 rows are both predicted positive at 0.5: TP 2, FP 1.
    assertThat(report.precision()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(report.recall()).isEqualTo(1.0);
  }

  @Test
  void maxF1PicksTheThresholdDerivedByHand(SparkSession spark) {
    // F1 = 2TP / (2TP + FP + FN) at each threshold, highest first: .9 -> 2/5, .8 -> 4/6, .7 -> 4/7,
    // .6 -> 6/8, .55 -> 6/9, .4 -> 8/10, .3 -> 8/11, .2 -> 8/12, .1 -> 8/13, .05 -> 8/14.
    Dataset<Row> scored = tenRows(spark);

    double threshold = ClassificationMetrics.chooseThreshold(scored, "label", "probability", "max_f1");

    assertThat(threshold).isEqualTo(0.4);
    Report report = ClassificationMetrics.evaluate(scored, "label", "probability", threshold);
    assertThat(report.f1()).as("p >= threshold, the same convention as the curve").isCloseTo(0.8, within(1e-12));
    assertThat(report.precision()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(report.recall()).isEqualTo(1.0);
    assertThat(report.accuracy()).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void aFixedRuleIsReturnedWithoutReadingTheData(SparkSession spark) {
    Dataset<Row> scored = tenRows(spark);

    assertThat(ClassificationMetrics.chooseThreshold(scored, "label", "probability", "0.5")).isEqualTo(0.5);
    assertThat(ClassificationMetrics.chooseThreshold(scored, "label", "probability", " 0.25 ")).isEqualTo(0.25);
    for (String bad : new String[] {"1.5", "0", "1", "NaN", "best", ""}) {
      assertThatThrownBy(() -> ClassificationMetrics.chooseThreshold(scored, "label", "probability", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot evaluate classifier predictions: threshold rule '" + bad
              + "' is neither 'max_f1' nor a number strictly between 0 and 1");
    }
  }

  @Test
  void liftAndCalibrationFollowADesignedPatternOnHundredRows(SparkSession spark) {
    // Row i has probability (i + 0.5) / 100; decile d (0..9) holds d positives, 45 in all.
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      int decile = i / 10;
      rows.add(new Object[] {i % 10 < decile ? 1 : 0, (i + 0.5) / 100});
    }
    Dataset<Row> scored = scored(spark, rows.toArray(Object[][]::new)).repartition(3);

    Report report = ClassificationMetrics.evaluate(scored, "label", "probability", 0.5);

    assertThat(report.positiveRate()).isCloseTo(0.45, within(1e-12));
    assertThat(report.liftTopDecile()).as("0.9 in the top decile over 0.45").isCloseTo(2.0, within(1e-12));
    List<CalibrationBin> expected = new ArrayList<>();
    for (int d = 1; d <= 10; d++) {
      expected.add(new CalibrationBin(d, 10, (10.0 * d - 5) / 100, (d - 1) / 10.0));
    }
    assertThat(report.calibration()).usingRecursiveFieldByFieldElementComparator(DOUBLES_CLOSE)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void rowsTiedAtTheTopCutCountInProportionAndMergeBins(SparkSession spark) {
    // 20 rows: one at .9 (positive), three at .8 (one positive), sixteen at .1 (two positives).
    // The top tenth is two rows: the .9 and one third of each .8 row -> (1 + 1/3) / 2 = 2/3 positive,
    // over an overall rate of 4/20: lift 10/3.
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {1, 0.9});
    rows.add(new Object[] {1, 0.8});
    rows.add(new Object[] {0, 0.8});
    rows.add(new Object[] {0, 0.8});
    for (int i = 0; i < 16; i++) {
      rows.add(new Object[] {i < 2 ? 1 : 0, 0.1});
    }
    Dataset<Row> scored = scored(spark, rows.toArray(Object[][]::new));

    Report report = ClassificationMetrics.evaluate(scored, "label", "probability", 0.5);

    assertThat(report.liftTopDecile()).isCloseTo(10.0 / 3, within(1e-12));
    // Cuts 10%..80% all fall on .1 and the 90% cut on .8, so only three bins.
    assertThat(report.calibration()).usingRecursiveFieldByFieldElementComparator(DOUBLES_CLOSE).containsExactly(
        new CalibrationBin(1, 16, 0.1, 2.0 / 16), new CalibrationBin(2, 3, 0.8, 1.0 / 3),
        new CalibrationBin(3, 1, 0.9, 1.0));
  }

  @Test
  void anyNumericLabelTypeIsAccepted(SparkSession spark) {
    StructType schema = new StructType().add("churned", DataTypes.LongType).add("p", DataTypes.FloatType);
    Dataset<Row> scored = spark.createDataFrame(List.of(RowFactory.create(1L, 0.75f), RowFactory.create(0L, 0.25f)),
        schema);

    Report report = ClassificationMetrics.evaluate(scored, "churned", "p", 0.5);

    assertThat(report.rocAuc()).isEqualTo(1.0);
    assertThat(report.brier()).isCloseTo(0.0625, within(1e-12));
  }

  @Test
  void leavesNothingCached(SparkSession spark) {
    Dataset<Row> scored = tenRows(spark);
    int before = spark.sparkContext().getPersistentRDDs().size();

    ClassificationMetrics.evaluate(scored, "label", "probability", 0.5);
    ClassificationMetrics.chooseThreshold(scored, "label", "probability", "max_f1");

    assertThat(spark.sparkContext().getPersistentRDDs().size()).isEqualTo(before);
  }

  @Test
  void aMissingColumnIsNamedWithTheColumnsFound(SparkSession spark) {
    assertThatThrownBy(() -> ClassificationMetrics.evaluate(tenRows(spark), "label", "score", 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: probability column 'score' is missing"
            + " (found: label, probability)");
    assertThatThrownBy(() -> ClassificationMetrics.chooseThreshold(tenRows(spark), "churned", "probability", "0.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: label column 'churned' is missing"
            + " (found: label, probability)");
  }

  @Test
  void aNonNumericColumnIsRejected(SparkSession spark) {
    Dataset<Row> scored = tenRows(spark).selectExpr("cast(label as string) as label", "probability");

    assertThatThrownBy(() -> ClassificationMetrics.evaluate(scored, "label", "probability", 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: label column 'label' must be numeric (found: string)");
  }

  @Test
  void emptyDataIsRejected(SparkSession spark) {
    Dataset<Row> empty = scored(spark, new Object[0][]);

    assertThatThrownBy(() -> ClassificationMetrics.evaluate(empty, "label", "probability", 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: there are no rows");
    assertThatThrownBy(() -> ClassificationMetrics.chooseThreshold(empty, "label", "probability", "max_f1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: there are no rows");
  }

  @Test
  void aSingleClassLabelIsRejectedBecauseRocAucIsUndefined(SparkSession spark) {
    Dataset<Row> allPositive = scored(spark, new Object[][] {{1, 0.9}, {1, 0.4}, {1, 0.7}});
    Dataset<Row> allNegative = scored(spark, new Object[][] {{0, 0.9}, {0, 0.4}});

    assertThatThrownBy(() -> ClassificationMetrics.evaluate(allPositive, "label", "probability", 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: label column 'label' holds only class 1 (3 rows);"
            + " ROC-AUC is undefined without both classes");
    assertThatThrownBy(() -> ClassificationMetrics.chooseThreshold(allNegative, "label", "probability", "max_f1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: label column 'label' holds only class 0 (2 rows);"
            + " ROC-AUC is undefined without both classes");
  }

  @Test
  void invalidLabelsProbabilitiesAndThresholdsAreRejected(SparkSession spark) {
    Dataset<Row> badLabel = scored(spark, new Object[][] {{1, 0.9}, {2, 0.4}, {null, 0.3}, {0, 0.1}});
    Dataset<Row> badProbability = scored(spark, new Object[][] {{1, 1.2}, {0, null}, {1, Double.NaN}, {0, 0.1}});

    assertThatThrownBy(() -> ClassificationMetrics.evaluate(badLabel, "label", "probability", 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: label column 'label' has 2 of 4 rows that are null"
            + " or not 0/1");
    assertThatThrownBy(() -> ClassificationMetrics.evaluate(badProbability, "label", "probability", 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: probability column 'probability' has 3 of 4 rows"
            + " that are null, NaN or outside [0, 1]");
    assertThatThrownBy(() -> ClassificationMetrics.evaluate(tenRows(spark), "label", "probability", 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate classifier predictions: threshold 1.5 is not in [0, 1]");
  }

  private static Dataset<Row> scored(SparkSession spark, Object[][] rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, SCHEMA);
  }
}

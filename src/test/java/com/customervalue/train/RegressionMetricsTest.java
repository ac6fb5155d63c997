package com.customervalue.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.testing.SparkExtension;
import com.customervalue.train.RegressionMetrics.Report;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class RegressionMetricsTest {
  private static final StructType SCHEMA = new StructType()
      .add("revenue", DataTypes.LongType).add("prediction", DataTypes.DoubleType);

  @Test
  void fourRowsMatchHandComputedMetrics(SparkSession spark) {
    // Errors .5, 0, -1, 1: MSE (.25 + 0 + 1 + 1) / 4 = .5625, MAE 2.5 / 4; labels 1..4 have mean 2.5 and
    // population variance 1.25, so R2 = 1 - .5625 / 1.25.
    Dataset<Row> scored = scored(spark, new Object[][] {{1L, 1.5}, {2L, 2.0}, {3L, 2.0}, {4L, 5.0}});

    Report report = RegressionMetrics.evaluate(scored, "revenue", "prediction");

    assertThat(report.rows()).isEqualTo(4);
    assertThat(report.rmse()).isCloseTo(0.75, within(1e-12));
    assertThat(report.mae()).isCloseTo(0.625, within(1e-12));
    assertThat(report.r2()).isCloseTo(0.55, within(1e-12));
    assertThat(report.meanLabel()).isCloseTo(2.5, within(1e-12));
    assertThat(report.meanPrediction()).isCloseTo(10.5 / 4, within(1e-12));
    Dataset<Row> asDoubles = scored.selectExpr("cast(revenue as double) as revenue", "prediction");
    assertThat(report.r2()).as("same definition as Spark's evaluator")
        .isCloseTo(new RegressionEvaluator().setLabelCol("revenue").setMetricName("r2").evaluate(asDoubles),
            within(1e-12));
  }

  @Test
  void perfectPredictionsHaveNoErrorAndFullR2(SparkSession spark) {
    Report report = RegressionMetrics.evaluate(scored(spark, new Object[][] {{3L, 3.0}, {7L, 7.0}}), "revenue",
        "prediction");

    assertThat(report.rmse()).isZero();
    assertThat(report.mae()).isZero();
    assertThat(report.r2()).isEqualTo(1.0);
  }

  @Test
  void r2IsNaNWhenTheLabelDoesNotVary(SparkSession spark) {
    Report report = RegressionMetrics.evaluate(scored(spark, new Object[][] {{5L, 4.0}, {5L, 6.0}}), "revenue",
        "prediction");

    assertThat(report.r2()).isNaN();
    assertThat(report.rmse()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void badInputIsRejectedWithTheReason(SparkSession spark) {
    Dataset<Row> fine = scored(spark, new Object[][] {{1L, 1.0}});

    assertThatThrownBy(() -> RegressionMetrics.evaluate(fine, "revenue", "score"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate regression predictions: prediction column 'score' is missing"
            + " (found: revenue, prediction)");
    assertThatThrownBy(() -> RegressionMetrics.evaluate(fine.selectExpr("'x' as revenue", "prediction"), "revenue",
        "prediction"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate regression predictions: label column 'revenue' must be numeric (found: string)");
    assertThatThrownBy(() -> RegressionMetrics.evaluate(scored(spark, new Object[0][]), "revenue", "prediction"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate regression predictions: there are no rows");
    assertThatThrownBy(() -> RegressionMetrics.evaluate(
        scored(spark, new Object[][] {{1L, null}, {2L, Double.NaN}, {3L, 3.0}}), "revenue", "prediction"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate regression predictions: prediction column 'prediction' has 2 of 3 rows that"
            + " are null or NaN");
    assertThatThrownBy(() -> RegressionMetrics.evaluate(
        scored(spark, new Object[][] {{null, 1.0}, {3L, 3.0}}), "revenue", "prediction"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate regression predictions: label column 'revenue' has 1 of 2 rows that"
            + " are null or NaN");
  }

  private static Dataset<Row> scored(SparkSession spark, Object[][] rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, SCHEMA);
  }
}

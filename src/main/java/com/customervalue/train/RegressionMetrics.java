package com.customervalue.train;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.var_pop;
import static org.apache.spark.sql.functions.when;

import com.customervalue.spark.StageDescription;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Evaluates a regressor from its scored rows: a numeric label column and a numeric prediction
 * column. One aggregation pass computes every metric, where {@code RegressionEvaluator} would take
 * one pass per metric.
 */
public final class RegressionMetrics {
  private static final String WHAT = "Cannot evaluate regression predictions";
  private static final String Y = "_label";
  private static final String F = "_prediction";

  private RegressionMetrics() {}

  /**
   * Metrics of one scored data set.
   *
   * @param rows scored rows
   * @param rmse root of the mean squared error
   * @param mae mean absolute error
   * @param r2 1 - SSE / SST, as {@code RegressionEvaluator}'s "r2"; NaN when every label is the same
   *     (SST is 0, so there is no variance to explain)
   * @param meanLabel mean of the label
   * @param meanPrediction mean of the prediction
   */
  public record Report(long rows, double rmse, double mae, double r2, double meanLabel, double meanPrediction) {}

  /**
   * Evaluates {@code scored}.
   *
   * @throws IllegalArgumentException when a column is missing or not numeric, there are no rows, or a
   *     label or prediction is null or NaN
   */
  public static Report evaluate(Dataset<Row> scored, String labelCol, String predictionCol) {
    ScoredColumns.requireNumeric(WHAT, scored, "label", labelCol);
    ScoredColumns.requireNumeric(WHAT, scored, "prediction", predictionCol);
    Dataset<Row> prepared = scored.select(ScoredColumns.column(labelCol).cast("double").as(Y),
        ScoredColumns.column(predictionCol).cast("double").as(F));
    Column error = col(F).minus(col(Y));
    StageDescription stage = StageDescription.of(scored.sparkSession(), "metrics: summarise regression predictions");
    Row summary;
    try {
      summary = prepared.agg(count(lit(1)).as("rows"),
          count(when(col(Y).isNull().or(isnan(col(Y))), true)).as("bad_labels"),
          count(when(col(F).isNull().or(isnan(col(F))), true)).as("bad_predictions"),
          avg(pow(error, 2.0)).as("mse"), avg(abs(error)).as("mae"),
          // var_pop is Spark's numerically stable central moment, unlike sum(y^2) - n * mean^2.
          var_pop(col(Y)).as("label_variance"),
          avg(col(Y)).as("mean_label"), avg(col(F)).as("mean_prediction")).first();
    } finally {
      stage.close();
    }
    ScoredColumns.requireRows(WHAT, summary);
    ScoredColumns.requireNone(WHAT, summary, "bad_labels", "label", labelCol, "null or NaN");
    ScoredColumns.requireNone(WHAT, summary, "bad_predictions", "prediction", predictionCol, "null or NaN");
    long rows = summary.getAs("rows");
    double mse = summary.getAs("mse");
    double labelVariance = summary.getAs("label_variance");
    return new Report(rows, Math.sqrt(mse), summary.getAs("mae"),
        labelVariance == 0.0 ? Double.NaN : 1.0 - mse / labelVariance,
        summary.getAs("mean_label"), summary.getAs("mean_prediction"));
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.customervalue.spark.StageDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Evaluates a binary classifier from its scored rows: a 0/1 label column and a probability column
 * holding P(class 1). Everything runs as Spark aggregations on the executors; only a handful of
 * numbers come back to the driver, so millions of rows are fine.
 *
 * <p>One convention throughout: a row is predicted positive when its probability is {@code >=} the
 * threshold. It is the one {@link BinaryClassificationMetrics} uses for its curves, so the max-F1
 * threshold it finds gives the same F1 when passed back to {@link #evaluate}.
 */
public final class ClassificationMetrics {
  /** The threshold rule that picks the probability maximising F1 on the scored rows. */
  public static final String MAX_F1 = "max_f1";

  /** Log loss clips probabilities to [EPSILON, 1 - EPSILON] so a confident mistake costs ~34.5, not infinity. */
  static final double LOG_LOSS_EPSILON = 1e-15;

  /**
   * Relative rank error of the decile cut points. Spark's quantile sketch keeps ~1/error entries per
   * partition, so 1e-4 stays small while putting each cut within 0.01% of the rows of the exact one,
   * i.e. the top decile within 0.1% of its size.
   */
  static final double QUANTILE_RELATIVE_ERROR = 1e-4;

  private static final String WHAT = "Cannot evaluate classifier predictions";
  private static final String Y = "_label";
  private static final String P = "_probability";
  private static final String BIN = "_bin";
  private static final double TOP_SHARE = 0.1;

  private ClassificationMetrics() {}

  /**
   * One calibration bin: rows whose predicted probability falls in a decile of the predictions.
   *
   * @param decile 1 for the lowest predicted probabilities, up to 10 for the highest; consecutive, so
   *     with heavily tied probabilities there are fewer bins and the last one is below 10
   * @param rows rows in the bin
   * @param meanPredicted mean predicted probability of the bin
   * @param observedRate share of the bin's rows with label 1
   */
  public record CalibrationBin(int decile, long rows, double meanPredicted, double observedRate) {}

  /**
   * Metrics of one scored data set at one threshold.
   *
   * @param rows scored rows
   * @param positiveRate share of rows with label 1
   * @param rocAuc area under the ROC curve (exact; tied probabilities count half, as in Mann-Whitney)
   * @param prAuc area under the precision-recall curve, trapezoidal as in Spark's
   *     {@link BinaryClassificationMetrics#areaUnderPR()}
   * @param logLoss mean negative log-likelihood, natural log, probabilities clipped to [1e-15, 1 - 1e-15]
   * @param brier mean of (probability - label)^2
   * @param threshold a row is predicted positive when its probability is {@code >=} this
   * @param accuracy share of rows predicted correctly
   * @param precision TP / (TP + FP); 0 when no row is predicted positive
   * @param recall TP / (TP + FN)
   * @param f1 2TP / (2TP + FP + FN), the harmonic mean of precision and recall; 0 when TP is 0
   * @param liftTopDecile positive rate among the 10% of rows with the highest probability divided by
   *     {@code positiveRate}; rows tied at the cut-off count in proportion (see {@link #evaluate})
   * @param calibration up to ten bins, lowest predicted probabilities first
   */
  public record Report(long rows, double positiveRate, double rocAuc, double prAuc, double logLoss, double brier,
      double threshold, double accuracy, double precision, double recall, double f1, double liftTopDecile,
      List<CalibrationBin> calibration) {
    public Report {
      calibration = List.copyOf(calibration);
    }
  }

  /**
   * The decision threshold given by {@code rule}.
   *
   * @param rule {@value #MAX_F1} for the probability that maximises F1 on {@code scored} (exact: every
   *     distinct probability is a candidate; of equally good ones the highest wins), or a number
   *     strictly between 0 and 1 such as {@code "0.5"}, returned as is without reading the data
   * @throws IllegalArgumentException for an unknown rule, or as {@link #evaluate} for bad input
   */
  public static double chooseThreshold(Dataset<Row> scored, String labelCol, String probabilityCol, String rule) {
    String normalized = rule == null ? "" : rule.strip().toLowerCase(Locale.ROOT);
    requireColumns(scored, labelCol, probabilityCol);
    if (!normalized.equals(MAX_F1)) {
      return fixedThreshold(rule, normalized);
    }
    SparkSession spark = scored.sparkSession();
    Dataset<Row> prepared = prepare(scored, labelCol, probabilityCol).cache();
    try {
      validate(described(spark, "metrics: check scored rows",
          () -> prepared.agg(count(lit(1)).as("rows"), validationColumns().toArray(Column[]::new)).first()),
          labelCol, probabilityCol);
      BinaryClassificationMetrics curves = curves(prepared);
      try {
        return described(spark, "metrics: F1 by threshold", () -> maxF1Threshold(curves));
      } finally {
        curves.unpersist();
      }
    } finally {
      prepared.unpersist();
    }
  }

  /**
   * Evaluates {@code scored} at {@code threshold}.
   *
   * <p>Top decile: the {@code rows / 10} rows with the highest probability. Rows tied at the cut-off
   * probability are counted in proportion: if the cut falls inside a block of tied rows, each of them
   * contributes the same fraction, which is the expected result of breaking the tie at random. So the
   * lift does not depend on row order or partitioning, and stays exact on a few distinct scores, where
   * "all rows with p &gt;= cut" would take far more than a tenth. The cut-off comes from Spark's
   * distributed quantile sketch, not a global sort, and is within 0.01% of the rows of the exact one.
   *
   * <p>Calibration: the cut points are the 10%, 20%, ..., 90% quantiles of the probability; bin
   * {@code d} holds the rows above cut {@code d-1} and at or below cut {@code d}. Equal cut points
   * (ties) merge bins, so heavily tied probabilities give fewer than ten bins. Spark's
   * {@code QuantileDiscretizer} is not used because its buckets are closed on the left while
   * {@code approxQuantile} returns the last value of each decile: on 100 distinct probabilities it
   * gives bins of 9, 10, ..., 11 rows, and on tied ones it moves a whole tie block up a bin.
   *
   * @param labelCol numeric column holding 0 or 1
   * @param probabilityCol numeric column holding P(class 1) in [0, 1]; for a classifier's
   *     probability vector pass {@code vector_to_array(probability)[1]}
   * @param threshold in [0, 1]; a row is predicted positive when its probability is {@code >=} it
   * @throws IllegalArgumentException when a column is missing or not numeric, there are no rows, a
   *     label is null or not 0/1, a probability is null, NaN or outside [0, 1], or the label holds one
   *     class only (ROC-AUC is then undefined)
   */
  public static Report evaluate(Dataset<Row> scored, String labelCol, String probabilityCol, double threshold) {
    requireColumns(scored, labelCol, probabilityCol);
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      throw new IllegalArgumentException(WHAT + ": threshold " + threshold + " is not in [0, 1]");
    }
    SparkSession spark = scored.sparkSession();
    Dataset<Row> prepared = prepare(scored, labelCol, probabilityCol).cache();
    try {
      Row summary = described(spark, "metrics: summarise scored rows", () -> summarise(prepared, threshold));
      validate(summary, labelCol, probabilityCol);
      long rows = summary.getAs("rows");
      long positives = summary.getAs("positives");
      long tp = summary.getAs("tp");
      long fp = summary.getAs("fp");
      long tn = summary.getAs("tn");
      long fn = summary.getAs("fn");
      double positiveRate = (double) positives / rows;

      Deciles deciles = described(spark, "metrics: deciles", () -> deciles(prepared, rows));

      BinaryClassificationMetrics curves = curves(prepared);
      double[] areas;
      try {
        areas = described(spark, "metrics: ROC and PR curves",
            () -> new double[] {curves.areaUnderROC(), curves.areaUnderPR()});
      } finally {
        curves.unpersist();
      }

      return new Report(rows, positiveRate, areas[0], areas[1], summary.getAs("log_loss"), summary.getAs("brier"),
          threshold, (double) (tp + tn) / rows, tp + fp == 0 ? 0.0 : (double) tp / (tp + fp),
          (double) tp / (tp + fn), tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn),
          deciles.topDecilePositiveRate() / positiveRate, deciles.calibration());
    } finally {
      prepared.unpersist();
    }
  }

  /** Runs {@code work} under a Spark job description, so the UI names it. */
  private static <T> T described(SparkSession spark, String description, Supplier<T> work) {
    StageDescription stage = StageDescription.of(spark, description);
    try {
      return work.get();
    } finally {
      stage.close();
    }
  }

  private static void requireColumns(Dataset<Row> scored, String labelCol, String probabilityCol) {
    ScoredColumns.requireNumeric(WHAT, scored, "label", labelCol);
    ScoredColumns.requireNumeric(WHAT, scored, "probability", probabilityCol,
        "; for a probability vector pass vector_to_array(col)[1] as a column");
  }

  private static double fixedThreshold(String rule, String normalized) {
    double value;
    try {
      value = Double.parseDouble(normalized);
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value > 0.0 && value < 1.0)) {
      throw new IllegalArgumentException(WHAT + ": threshold rule '" + rule + "' is neither '" + MAX_F1
          + "' nor a number strictly between 0 and 1");
    }
    return value;
  }

  /** Only the two columns needed, as doubles, so the cache holds 16 bytes a row whatever the input. */
  private static Dataset<Row> prepare(Dataset<Row> scored, String labelCol, String probabilityCol) {
    return scored.select(ScoredColumns.column(labelCol).cast("double").as(Y),
        ScoredColumns.column(probabilityCol).cast("double").as(P));
  }

  private static List<Column> validationColumns() {
    Column badLabel = col(Y).isNull().or(not(col(Y).isin(0.0, 1.0)));
    Column badProbability = col(P).isNull().or(isnan(col(P))).or(col(P).lt(0.0)).or(col(P).gt(1.0));
    return List.of(count(when(col(Y).equalTo(1.0), true)).as("positives"),
        count(when(col(Y).equalTo(0.0), true)).as("negatives"),
        count(when(badLabel, true)).as("bad_labels"),
        count(when(badProbability, true)).as("bad_probabilities"));
  }

  /** Counts, validity, log loss, Brier and the confusion counts in one pass. */
  private static Row summarise(Dataset<Row> prepared, double threshold) {
    Column y = col(Y);
    Column clipped = least(greatest(col(P), lit(LOG_LOSS_EPSILON)), lit(1.0 - LOG_LOSS_EPSILON));
    Column predictedPositive = col(P).geq(threshold);
    List<Column> columns = new ArrayList<>(validationColumns());
    columns.add(avg(y.multiply(log(clipped)).plus(lit(1.0).minus(y).multiply(log(lit(1.0).minus(clipped))))
        .multiply(-1.0)).as("log_loss"));
    columns.add(avg(pow(col(P).minus(y), 2.0)).as("brier"));
    columns.add(count(when(predictedPositive.and(y.equalTo(1.0)), true)).as("tp"));
    columns.add(count(when(predictedPositive.and(y.equalTo(0.0)), true)).as("fp"));
    columns.add(count(when(not(predictedPositive).and(y.equalTo(0.0)), true)).as("tn"));
    columns.add(count(when(not(predictedPositive).and(y.equalTo(1.0)), true)).as("fn"));
    return prepared.agg(count(lit(1)).as("rows"), columns.toArray(Column[]::new)).first();
  }

  private static void validate(Row summary, String labelCol, String probabilityCol) {
    ScoredColumns.requireRows(WHAT, summary);
    ScoredColumns.requireNone(WHAT, summary, "bad_labels", "label", labelCol, "null or not 0/1");
    ScoredColumns.requireNone(WHAT, summary, "bad_probabilities", "probability", probabilityCol,
        "null, NaN or outside [0, 1]");
    long positives = summary.getAs("positives");
    long negatives = summary.getAs("negatives");
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(WHAT + ": label column '" + labelCol + "' holds only class "
          + (positives == 0 ? 0 : 1) + " (" + summary.<Long>getAs("rows") + " rows); ROC-AUC is undefined without both classes");
    }
  }

  /** Of equally good thresholds the highest wins: fewer rows flagged for the same F1. */
  private static double maxF1Threshold(BinaryClassificationMetrics curves) {
    Tuple2<Object, Object> best = curves.fMeasureByThreshold().toJavaRDD().reduce((a, b) -> {
      int byF1 = Double.compare((Double) a._2(), (Double) b._2());
      return byF1 > 0 || byF1 == 0 && (Double) a._1() >= (Double) b._1() ? a : b;
    });
    return (Double) best._1();
  }

  /** Exact curves (numBins 0: every distinct probability is a threshold), as (score, label) pairs. */
  private static BinaryClassificationMetrics curves(Dataset<Row> prepared) {
    return new BinaryClassificationMetrics(
        prepared.select(P, Y).as(Encoders.tuple(Encoders.DOUBLE(), Encoders.DOUBLE())).rdd(), 0);
  }

  private record Deciles(double topDecilePositiveRate, List<CalibrationBin> calibration) {}

  /** Calibration bins and the top decile's positive rate, from one quantile sketch and one aggregation. */
  private static Deciles deciles(Dataset<Row> prepared, long rows) {
    double[] probabilities = new double[9];
    for (int i = 0; i < probabilities.length; i++) {
      probabilities[i] = (i + 1) / 10.0;
    }
    double[] cuts = prepared.stat().approxQuantile(P, probabilities, QUANTILE_RELATIVE_ERROR);
    double topCut = cuts[cuts.length - 1];
    // 1 + number of distinct cuts strictly below p: bins closed on the right, numbered from 1.
    Column bin = lit(1);
    for (double cut : Arrays.stream(cuts).distinct().toArray()) {
      bin = bin.plus(when(col(P).gt(cut), 1).otherwise(0));
    }
    List<Row> bins = prepared.groupBy(bin.as(BIN))
        .agg(count(lit(1)).as("rows"), avg(P).as("mean_predicted"), avg(Y).as("observed_rate"),
            count(when(col(P).gt(topCut), true)).as("above"),
            sum(when(col(P).gt(topCut), col(Y)).otherwise(0.0)).as("above_positives"),
            count(when(col(P).equalTo(topCut), true)).as("tied"),
            sum(when(col(P).equalTo(topCut), col(Y)).otherwise(0.0)).as("tied_positives"))
        .orderBy(BIN).collectAsList();

    List<CalibrationBin> calibration = new ArrayList<>();
    long above = 0;
    long tied = 0;
    double abovePositives = 0;
    double tiedPositives = 0;
    for (Row r : bins) {
      calibration.add(new CalibrationBin(r.<Integer>getAs(BIN), r.getAs("rows"), r.getAs("mean_predicted"),
          r.getAs("observed_rate")));
      above += r.<Long>getAs("above");
      tied += r.<Long>getAs("tied");
      abovePositives += r.<Double>getAs("above_positives");
      tiedPositives += r.<Double>getAs("tied_positives");
    }

    double top = TOP_SHARE * rows;
    // With an exact cut, above <= top <= above + tied; the sketch's error can break that by a few
    // rows, and the nearest whole set of rows is then the best estimate.
    double topRate;
    if (above >= top) {
      topRate = abovePositives / above;
    } else if (above + tied <= top) {
      topRate = (abovePositives + tiedPositives) / (above + tied);
    } else {
      topRate = (abovePositives + (top - above) * tiedPositives / tied) / top;
    }
    return new Deciles(topRate, calibration);
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.job.RunContext;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train job calibrating a class-weighted GBT on a target with 15 % positives: class weights
 * make each class weigh half, so the model's own probabilities sit far above the observed rate.
 * Platt scaling, fitted on the out-of-fold rows, must bring them back, be saved inside the model,
 * and be applied when the saved model scores.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CalibratedTrainingTest {
  private static final List<LocalDate> AS_OF = List.of(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 4, 1),
      LocalDate.of(2020, 7, 1));
  private static final StructType SCHEMA = new StructType()
      .add("account_key", DataTypes.StringType).add("account_key_hash", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("labelled", DataTypes.BooleanType)
      .add("returned", DataTypes.IntegerType).add("driver", DataTypes.DoubleType)
      .add("noise", DataTypes.DoubleType).add("run_id", DataTypes.StringType);

  @TempDir static Path dir;
  private AppConfig config;
  private Dataset<Row> metrics;
  private Dataset<Row> features;

  @BeforeAll
  void train(SparkSession spark) {
    Random random = new Random(17);
    List<Row> rows = new ArrayList<>();
    for (int a = 0; a < 400; a++) {
      for (LocalDate asOf : AS_OF) {
        double driver = random.nextGaussian();
        double p = 1 / (1 + Math.exp(-(1.5 * driver - 2.5)));
        rows.add(RowFactory.create("acct" + a, "hash" + a, Date.valueOf(asOf), true,
            random.nextDouble() < p ? 1 : 0, driver, random.nextGaussian(), "features-run"));
      }
    }
    config = ConfigLoader.loadFromString("customer-value {\n"
        + "  warehouse.root = \"" + dir.resolve("warehouse") + "\"\n"
        + "  snapshots.horizon-days = 60\n"
        + "  train {\n"
        + "    targets = [\"returned\"], classifiers = [\"gbt\"], folds = 3, compare-variants = []\n"
        + "    imbalance = class_weight, text.enabled = false\n"
        + "    calibration { method = platt, models = [gbt] }\n"
        + "    grid.gbt { maxIter = [5], maxDepth = [2] }\n"
        + "  }\n"
        + "}\n");
    features = spark.createDataFrame(rows, SCHEMA);
    features.write().format("delta").mode(SaveMode.Overwrite).partitionBy("as_of")
        .save(config.warehouse().tablePath("customer_features"));
    new TrainJob().run(spark, config, new RunContext("c1", Optional.empty(), Instant.parse("2021-01-01T00:00:00Z")));
    metrics = spark.read().format("delta").load(config.warehouse().tablePath(TrainTables.MODEL_METRICS)).cache();
  }

  private double value(String evaluation, String metric) {
    List<Row> rows = metrics.where(col("model").equalTo("gbt").and(col("evaluation").equalTo(evaluation))
        .and(col("metric").equalTo(metric))).collectAsList();
    assertThat(rows).as("%s %s", evaluation, metric).hasSize(1);
    return rows.get(0).<Double>getAs("value");
  }

  @Test
  void calibrationLowersLogLossAndBrierCrossValidatedAndOutOfTime() {
    assertThat(value(TrainTables.CROSS_VALIDATION, "log_loss"))
        .isLessThan(value(TrainTables.CROSS_VALIDATION_UNCALIBRATED, "log_loss") - 0.05);
    assertThat(value(TrainTables.OUT_OF_TIME, "log_loss"))
        .isLessThan(value(TrainTables.OUT_OF_TIME_UNCALIBRATED, "log_loss") - 0.05);
    assertThat(value(TrainTables.OUT_OF_TIME, "brier")).isLessThan(value(TrainTables.OUT_OF_TIME_UNCALIBRATED, "brier"));
    // Monotone: the ranking hardly moves.
    assertThat(value(TrainTables.OUT_OF_TIME, "roc_auc")).isCloseTo(
        value(TrainTables.OUT_OF_TIME_UNCALIBRATED, "roc_auc"), org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void theCalibrationTableByDecileShowsTheGapClosing() {
    assertThat(gap(TrainTables.OUT_OF_TIME)).isLessThan(gap(TrainTables.OUT_OF_TIME_UNCALIBRATED) / 2);
  }

  /** Row-weighted mean of |mean predicted - observed rate| over the calibration deciles. */
  private double gap(String evaluation) {
    List<Row> bins = metrics.where(col("model").equalTo("gbt").and(col("evaluation").equalTo(evaluation))
        .and(col("decile").isNotNull())).groupBy("decile").pivot("metric").agg(org.apache.spark.sql.functions.first("value"),
            org.apache.spark.sql.functions.first("rows")).collectAsList();
    assertThat(bins).hasSizeGreaterThanOrEqualTo(3);
    double gap = 0;
    long rows = 0;
    for (Row bin : bins) {
      long n = bin.getLong(bin.fieldIndex("calibration_observed_rate_first(rows)"));
      gap += n * Math.abs(bin.getDouble(bin.fieldIndex("calibration_mean_predicted_first(value)"))
          - bin.getDouble(bin.fieldIndex("calibration_observed_rate_first(value)")));
      rows += n;
    }
    return gap / rows;
  }

  @Test
  void theSavedModelCarriesTheCalibratorAndScoresWithIt(SparkSession spark) {
    SavedModel saved = SavedModel.find(spark, config.warehouse().root(), "returned", Optional.of("c1")).orElseThrow();
    assertThat(saved.metadata()).containsEntry("calibration", Calibration.PLATT);
    assertThat(Calibration.isCalibrated(saved.model())).isTrue();
    Dataset<Row> test = features.where(col("as_of").equalTo(Date.valueOf(AS_OF.get(2))));
    Row means = saved.score(test, "p", "reasons", 2).agg(avg("p"), avg("returned")).first();
    // Class weights alone would put the mean near 0.5; calibrated, it sits near the observed rate.
    assertThat(means.getDouble(0)).isCloseTo(means.getDouble(1), org.assertj.core.data.Offset.offset(0.05));
    Map<String, Object> oot = (Map<String, Object>) saved.metadata().get("metrics_out_of_time");
    assertThat((Double) oot.get("log_loss")).isEqualTo(value(TrainTables.OUT_OF_TIME, "log_loss"));
  }
}

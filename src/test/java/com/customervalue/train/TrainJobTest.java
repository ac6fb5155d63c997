package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
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
 * The train job on a small customer_features table with a planted driver: what it writes, that the
 * out-of-time snapshot and the purged snapshots are the right ones, that the saved model scores
 * like the run did, and that a one-class target is refused.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainJobTest {
  private static final List<LocalDate> AS_OF = List.of(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 4, 1),
      LocalDate.of(2020, 7, 1), LocalDate.of(2020, 10, 1));
  private static final StructType SCHEMA = new StructType()
      .add("account_key", DataTypes.StringType).add("account_key_hash", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("labelled", DataTypes.BooleanType)
      .add("returned", DataTypes.IntegerType).add("bought_top_tier", DataTypes.IntegerType)
      .add("revenue_next", DataTypes.DoubleType).add("support_cost_next", DataTypes.DoubleType)
      .add("adjusted_revenue", DataTypes.DoubleType)
      .add("driver", DataTypes.DoubleType).add("noise", DataTypes.DoubleType).add("constant", DataTypes.DoubleType)
      .add("visits", DataTypes.LongType).add("industry", DataTypes.StringType)
      .add("ticket_text", DataTypes.StringType).add("run_id", DataTypes.StringType);

  @TempDir static Path dir;
  private AppConfig config;
  private JobResult result;
  private Dataset<Row> metrics;

  @BeforeAll
  void trainOnAPlantedDriver(SparkSession spark) {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int a = 0; a < 150; a++) {
      String industry = a % 3 == 0 ? "retail" : a % 3 == 1 ? "aerospace" : "medical";
      for (LocalDate asOf : AS_OF) {
        double driver = random.nextGaussian();
        double noise = random.nextGaussian();
        boolean broken = random.nextDouble() < 0.3;
        double logit = 2.0 * driver + (industry.equals("retail") ? 1.0 : 0.0) - (broken ? 1.0 : 0.0)
            + 0.5 * random.nextGaussian();
        int returned = logit > 0 ? 1 : 0;
        double revenue = returned * Math.exp(3 + driver);
        rows.add(RowFactory.create("acct" + a, "hash" + a, Date.valueOf(asOf), true, returned, 0, revenue, 0.0, revenue,
            driver, noise, 1.0, (long) random.nextInt(20), industry,
            broken ? "printer broken again" : "invoice question", "features-run"));
      }
    }
    config = ConfigLoader.loadFromString("customer-value {\n"
        + "  warehouse.root = \"" + dir.resolve("warehouse") + "\"\n"
        + "  snapshots.horizon-days = 120\n"
        + "  train {\n"
        + "    targets = [\"returned\", \"revenue_next\"]\n"
        + "    classifiers = [\"logistic\", \"gbt\"]\n"
        + "    regressors = [\"gbt\", \"linear\"]\n"
        + "    folds = 2\n"
        + "    compare-variants = [\"smote\", \"no_text\"]\n"
        + "    text.columns = [\"ticket_text\"]\n"
        + "    text.num-features = 16\n"
        + "    text.min-doc-freq = 1\n"
        + "    feature-selection { enabled = true, top-k = 3, step = 1 }\n"
        + "    grid {\n"
        + "      logistic { regParam = [0.001, 0.1], elasticNetParam = [0.0] }\n"
        + "      gbt { maxIter = [5], maxDepth = [2] }\n"
        + "      gbt_regressor { maxIter = [5], maxDepth = [2] }\n"
        + "      linear_regressor { regParam = [0.01] }\n"
        + "    }\n"
        + "  }\n"
        + "}\n");
    spark.createDataFrame(rows, SCHEMA).write().format("delta").mode(SaveMode.Overwrite).partitionBy("as_of")
        .save(config.warehouse().tablePath("customer_features"));
    result = new TrainJob().run(spark, config, context());
    metrics = spark.read().format("delta").load(config.warehouse().tablePath(TrainTables.MODEL_METRICS))
        .where(col("run_id").equalTo("t1")).cache();
    metrics.count();
  }

  private static RunContext context() {
    return new RunContext("t1", Optional.empty(), Instant.parse("2021-01-01T00:00:00Z"));
  }

  @Test
  void everyCandidateIsEvaluatedCrossValidatedAndOutOfTimeOnTheNewestSnapshot() {
    assertThat(result.rowsWritten()).containsKeys(TrainTables.MODEL_METRICS, TrainTables.FEATURE_IMPORTANCE,
        TrainTables.MODEL_PREDICTIONS);
    List<String> models = metrics.where(col("target").equalTo("returned")).select("model").distinct()
        .orderBy("model").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(models).containsExactly("gbt", "logistic", "logistic/no_text", "logistic/selected", "logistic/smote");
    List<Row> oot = metrics.where(col("evaluation").equalTo(TrainTables.OUT_OF_TIME)).select("as_of").distinct()
        .collectAsList();
    assertThat(oot).extracting(r -> r.getDate(0).toLocalDate()).containsExactly(AS_OF.get(3));
    for (String model : models) {
      assertThat(value("returned", model, TrainTables.CROSS_VALIDATION, "roc_auc")).isBetween(0.5, 1.0);
      assertThat(value("returned", model, TrainTables.OUT_OF_TIME, "log_loss")).isPositive();
    }
    // the planted driver separates the classes well
    assertThat(value("returned", "logistic", TrainTables.OUT_OF_TIME, "roc_auc")).isGreaterThan(0.85);
    assertThat(metrics.where(col("metric").equalTo("calibration_observed_rate")
        .and(col("model").equalTo("logistic")).and(col("evaluation").equalTo(TrainTables.OUT_OF_TIME))).count())
        .isBetween(5L, 10L);
    assertThat(value("revenue_next", "gbt", TrainTables.OUT_OF_TIME, "rmse")).isPositive();
    assertThat(value("revenue_next", "linear", TrainTables.CROSS_VALIDATION, "r2")).isNotNull();
  }

  @Test
  void aCalibratorThatDoesNotLowerTheCrossValidatedLogLossIsDropped() {
    // Balanced classes and two folds of 150 rows: Platt scaling fitted on one fold's predictions
    // does not help the other's (CalibratedTrainingTest has the case where it does).
    assertThat(metrics.where(col("evaluation").endsWith("_uncalibrated")).count()).isZero();
    assertThat(metrics.where(col("model").equalTo("gbt").and(col("target").equalTo("returned"))
        .and(col("evaluation").equalTo(TrainTables.CROSS_VALIDATION))).count()).isPositive();
  }

  @Test
  void oneModelPerTargetIsSelectedByTheCrossValidatedLogLoss() {
    for (String target : List.of("returned", "revenue_next")) {
      assertThat(metrics.where(col("target").equalTo(target).and(col("selected"))).select("model").distinct().count())
          .isEqualTo(1);
    }
    String chosen = metrics.where(col("target").equalTo("returned").and(col("selected"))).first().getAs("model");
    double best = value("returned", chosen, TrainTables.CROSS_VALIDATION, "log_loss");
    List<Double> all = metrics.where(col("target").equalTo("returned")
        .and(col("evaluation").equalTo(TrainTables.CROSS_VALIDATION)).and(col("metric").equalTo("log_loss")))
        .select("value").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
    assertThat(all).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(best));
  }

  @Test
  void featureSelectionReportsEveryStepDownToTopK() {
    List<Row> steps = metrics.where(col("evaluation").equalTo(TrainTables.FEATURE_SELECTION)).orderBy(col("step").desc())
        .collectAsList();
    // driver, noise, visits, industry, ticket_text: the constant column never reaches a model
    assertThat(steps).extracting(r -> r.<Integer>getAs("step")).containsExactly(5, 4, 3);
    assertThat(steps).allSatisfy(r -> assertThat(r.<Double>getAs("value")).isPositive());
  }

  @Test
  void theDriverIsTheMostImportantFeatureWithOddsRatios(SparkSession spark) {
    Dataset<Row> importance = spark.read().format("delta")
        .load(config.warehouse().tablePath(TrainTables.FEATURE_IMPORTANCE))
        .where(col("target").equalTo("returned").and(col("run_id").equalTo("t1")));
    Row top = importance.where(col("model").equalTo("logistic").and(col("rank").equalTo(1))).first();
    assertThat(top.<String>getAs("feature")).isEqualTo("driver");
    assertThat(top.<Double>getAs("std_coefficient")).isPositive();
    Row retail = importance.where(col("model").equalTo("logistic").and(col("feature").equalTo("industry=retail")))
        .first();
    assertThat(retail.<Double>getAs("odds_ratio")).isGreaterThan(1.0);
    assertThat(importance.where(col("model").equalTo("gbt").and(col("rank").equalTo(1))).first()
        .<String>getAs("feature")).isEqualTo("driver");
  }

  @Test
  void theSavedModelScoresTheOutOfTimeRowsAsTheRunDidWithReasons(SparkSession spark) {
    String location = ModelStore.location(config.warehouse().root(), "returned", "t1");
    Map<String, Object> metadata = ModelStore.metadata(spark, location);
    assertThat(metadata).containsEntry("run_id", "t1").containsEntry("target", "returned")
        .containsEntry("out_of_time_snapshot", "2020-10-01");
    // 2020-07-01 + 120 days reaches past the test snapshot: purged
    assertThat(metadata.get("training_snapshots")).isEqualTo(List.of("2020-01-01", "2020-04-01"));
    assertThat(String.valueOf(metadata.get("inputs"))).contains("customer_features").contains("@v0");
    assertThat(metadata.get("features_numeric")).asList().contains("driver").doesNotContain("constant");

    PipelineModel model = ModelStore.load(location);
    Dataset<Row> test = spark.read().format("delta").load(config.warehouse().tablePath("customer_features"))
        .where(col("as_of").equalTo(Date.valueOf(AS_OF.get(3))))
        .withColumnRenamed("account_key", TrainColumns.ID);
    List<double[]> rescored = TargetTrainer.withProbability(model.transform(test))
        .select(col("account_key_hash"), col(TrainColumns.P_POSITIVE)).collectAsList().stream()
        .map(r -> new double[] {Double.parseDouble(r.getString(0).substring(4)), r.getDouble(1)})
        .sorted(Comparator.comparingDouble(a -> a[0])).toList();
    Dataset<Row> predictions = spark.read().format("delta")
        .load(config.warehouse().tablePath(TrainTables.MODEL_PREDICTIONS))
        .where(col("target").equalTo("returned").and(col("run_id").equalTo("t1")));
    List<double[]> written = predictions.select(col("customer"), col("score")).collectAsList().stream()
        .map(r -> new double[] {Double.parseDouble(r.getString(0).substring(4)), r.getDouble(1)})
        .sorted(Comparator.comparingDouble(a -> a[0])).toList();
    assertThat(written).hasSize(150);
    for (int i = 0; i < written.size(); i++) {
      assertThat(written.get(i)[1]).isCloseTo(rescored.get(i)[1], org.assertj.core.data.Offset.offset(1e-9));
    }
    List<Row> reasons = predictions.select(org.apache.spark.sql.functions.explode(col("reasons")).as("r"))
        .select("r.feature", "r.direction").collectAsList();
    assertThat(reasons).isNotEmpty();
    assertThat(reasons).extracting(r -> r.getString(1)).containsOnly("up", "down");
  }

  @Test
  void runningTheSameRunAgainReplacesItsRows(SparkSession spark) {
    long before = metrics.count();
    AppConfig small = ConfigLoader.loadFromString("customer-value {\n  warehouse.root = \""
        + dir.resolve("warehouse") + "\"\n  snapshots.horizon-days = 120\n  train {\n"
        + "    targets = [\"returned\"], classifiers = [\"logistic\"], folds = 2, compare-variants = []\n"
        + "    text.enabled = false\n    grid.logistic { regParam = [0.01], elasticNetParam = [0.0] }\n  }\n}\n");
    new TrainJob().run(spark, small, new RunContext("t2", Optional.empty(), Instant.now()));
    new TrainJob().run(spark, small, new RunContext("t2", Optional.empty(), Instant.now()));
    Dataset<Row> all = spark.read().format("delta").load(small.warehouse().tablePath(TrainTables.MODEL_METRICS));
    assertThat(all.where(col("run_id").equalTo("t1")).count()).isEqualTo(before);
    long once = all.where(col("run_id").equalTo("t2")).count();
    assertThat(once).isPositive();
    assertThat(all.where(col("run_id").equalTo("t2")).dropDuplicates("model", "evaluation", "metric", "decile", "step")
        .count()).isEqualTo(once);
  }

  @Test
  void aTargetWithOneClassIsRefusedWithItsCounts(SparkSession spark) {
    AppConfig topTier = ConfigLoader.loadFromString("customer-value {\n  warehouse.root = \""
        + dir.resolve("warehouse") + "\"\n  snapshots.horizon-days = 120\n"
        + "  train { targets = [\"bought_top_tier\"], classifiers = [\"logistic\"], folds = 2 }\n}\n");
    assertThatThrownBy(() -> new TrainJob().run(spark, topTier, new RunContext("t3", Optional.empty(), Instant.now())))
        .isInstanceOf(CustomerValueException.class)
        .hasMessageContaining("target 'bought_top_tier' cannot be modelled")
        .hasMessageContaining("300 training rows hold 0 with label 1 and 300 with label 0");
  }

  private Double value(String target, String model, String evaluation, String metric) {
    List<Row> rows = metrics.where(col("target").equalTo(target).and(col("model").equalTo(model))
        .and(col("evaluation").equalTo(evaluation)).and(col("metric").equalTo(metric))).collectAsList();
    assertThat(rows).as("%s %s %s %s", target, model, evaluation, metric).hasSize(1);
    return rows.get(0).getAs("value");
  }
}

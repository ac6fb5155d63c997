package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.ConfigLoader;
import com.customervalue.config.TrainSettings;
import com.customervalue.errors.ConfigException;
import com.customervalue.testing.LogCapture;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.logging.log4j.Level;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration on scores whose miscalibration is known: a model that squeezes and shifts the true
 * log-odds. Both methods must close the gap on rows their calibrator never saw, and a calibrated
 * model must save, load and explain like any other.
 */
@ExtendWith(SparkExtension.class)
class CalibrationTest {
  private static final StructType SCORED = new StructType().add(TrainColumns.LABEL, DataTypes.DoubleType)
      .add(TrainColumns.FOLD, DataTypes.IntegerType).add("probability", SQLDataTypes.VectorType())
      .add("rawPrediction", SQLDataTypes.VectorType());

  /**
   * 6,000 rows with true probability sigmoid(z), scored as GBT would report sigmoid(0.4 z + 0.8):
   * the raw score (rawPrediction[1]) is half that margin, MLlib's GBT convention.
   */
  private static Dataset<Row> miscalibrated(SparkSession spark, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      double z = 2.0 * random.nextGaussian();
      double label = random.nextDouble() < sigmoid(z) ? 1 : 0;
      double margin = (0.4 * z + 0.8) / 2;
      double p = sigmoid(2 * margin);
      rows.add(RowFactory.create(label, i % 3, Vectors.dense(1 - p, p), Vectors.dense(-margin, margin)));
    }
    return spark.createDataFrame(rows, SCORED);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static TrainSettings.Calibration settings(String method) {
    return new TrainSettings.Calibration(method, List.of("gbt", "random_forest"), 0.001);
  }

  private static ClassificationMetrics.Report report(Dataset<Row> scored) {
    return ClassificationMetrics.evaluate(TargetTrainer.withProbability(scored), TrainColumns.LABEL,
        TrainColumns.P_POSITIVE, 0.5);
  }

  /** Mean absolute gap between predicted and observed rates over the deciles, weighted by rows. */
  private static double calibrationGap(ClassificationMetrics.Report r) {
    double gap = 0;
    for (ClassificationMetrics.CalibrationBin bin : r.calibration()) {
      gap += bin.rows() * Math.abs(bin.meanPredicted() - bin.observedRate());
    }
    return gap / r.rows();
  }

  @Test
  void bothMethodsCloseTheGapOnFoldsTheirCalibratorNeverSaw(SparkSession spark) {
    Dataset<Row> scored = miscalibrated(spark, 5).cache();
    ClassificationMetrics.Report before = report(scored);
    for (String method : List.of(Calibration.ISOTONIC, Calibration.PLATT)) {
      Dataset<Row> crossFitted = Calibration.crossFitted(scored, 3, settings(method)).orElseThrow();
      assertThat(crossFitted.count()).as(method).isEqualTo(6000);
      ClassificationMetrics.Report after = report(crossFitted);
      assertThat(after.logLoss()).as(method + " log loss").isLessThan(before.logLoss() - 0.02);
      assertThat(after.brier()).as(method + " brier").isLessThan(before.brier() - 0.005);
      assertThat(calibrationGap(after)).as(method + " gap").isLessThan(0.03).isLessThan(calibrationGap(before) / 3);
      // A monotone map keeps the ranking (isotonic ties some rows, which can only cost a little AUC).
      assertThat(after.rocAuc()).as(method + " roc_auc").isCloseTo(before.rocAuc(),
          org.assertj.core.data.Offset.offset(0.01));
    }
    scored.unpersist();
  }

  @Test
  void plattRecoversTheLogOddsTheModelSqueezed(SparkSession spark) {
    Dataset<Row> scored = miscalibrated(spark, 7);
    PipelineModel platt = Calibration.fit(scored, settings(Calibration.PLATT));
    // The true log-odds are z = (2 m - 0.8) / 0.4 = 5 m - 2 in the raw score m.
    org.apache.spark.ml.regression.GeneralizedLinearRegressionModel glm =
        (org.apache.spark.ml.regression.GeneralizedLinearRegressionModel) platt.stages()[1];
    assertThat(glm.coefficients().apply(0)).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.5));
    assertThat(glm.intercept()).isCloseTo(-2.0, org.assertj.core.data.Offset.offset(0.3));
  }

  @Test
  void plattFitsWithoutMllibWarningOnEveryIterationThatAnUnpenalisedFitMayBeUnstable(SparkSession spark) {
    LogCapture mllib = new LogCapture("org.apache.spark.ml", Level.WARN);
    mllib.attach();
    try {
      Calibration.fit(miscalibrated(spark, 11), settings(Calibration.PLATT));
    } finally {
      mllib.detach();
    }
    assertThat(mllib.lines()).noneSatisfy(line -> assertThat(line).contains("regParam is zero"));
  }

  @Test
  void aPlattCurveThatWouldReverseTheRankingIsRefused(SparkSession spark) {
    // Scores that rank the wrong way round: Platt's slope comes out negative.
    Dataset<Row> reversed = miscalibrated(spark, 13).withColumn(TrainColumns.LABEL,
        org.apache.spark.sql.functions.lit(1.0).minus(col(TrainColumns.LABEL)));
    assertThat(Calibration.increasing(Calibration.fit(reversed, settings(Calibration.PLATT)))).isFalse();
    assertThat(Calibration.crossFitted(reversed, 3, settings(Calibration.PLATT))).isEmpty();
    assertThat(Calibration.increasing(Calibration.fit(miscalibrated(spark, 13), settings(Calibration.PLATT))))
        .isTrue();
    assertThat(Calibration.increasing(Calibration.fit(reversed, settings(Calibration.ISOTONIC)))).isTrue();
  }

  @Test
  void calibratedProbabilitiesStayInsideTheClip(SparkSession spark) {
    Dataset<Row> scored = miscalibrated(spark, 9);
    Row range = Calibration.fit(scored, new TrainSettings.Calibration(Calibration.ISOTONIC, List.of("gbt"), 0.01))
        .transform(scored).agg(org.apache.spark.sql.functions.min(TrainColumns.CALIBRATED),
            org.apache.spark.sql.functions.max(TrainColumns.CALIBRATED)).first();
    assertThat(range.getDouble(0)).isGreaterThanOrEqualTo(0.01);
    assertThat(range.getDouble(1)).isLessThanOrEqualTo(0.99);
  }

  @Test
  void aCalibratedModelSavesLoadsScoresAndExplainsLikeItsClassifier(SparkSession spark, @TempDir Path dir) {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double x = random.nextGaussian();
      double y = random.nextGaussian();
      rows.add(RowFactory.create("a" + i, random.nextDouble() < sigmoid(3 * x) ? 1.0 : 0.0, i % 2,
          Vectors.dense(x, y)));
    }
    Dataset<Row> data = spark.createDataFrame(rows, new StructType().add(TrainColumns.ID, DataTypes.StringType)
        .add(TrainColumns.LABEL, DataTypes.DoubleType).add(TrainColumns.FOLD, DataTypes.IntegerType)
        .add(TrainColumns.RAW_FEATURES, SQLDataTypes.VectorType()));
    PipelineModel classifier = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol(TrainColumns.RAW_FEATURES).setOutputCol(TrainColumns.FEATURES),
        new LogisticRegression().setLabelCol(TrainColumns.LABEL).setRegParam(0.5)}).fit(data);
    PipelineModel model = Calibration.wrap(classifier,
        Calibration.fit(classifier.transform(data), settings(Calibration.ISOTONIC)));
    assertThat(Calibration.isCalibrated(model)).isTrue();
    assertThat(Calibration.isCalibrated(classifier)).isFalse();
    assertThat(Calibration.classifier(model)).isSameAs(classifier);
    assertThat(FeatureImportance.estimatorStage(model)).isInstanceOf(LogisticRegressionModel.class);

    String location = dir.resolve("model").toString();
    ModelStore.save(spark, location, model, Map.of("calibration", Calibration.ISOTONIC));
    PipelineModel loaded = ModelStore.load(location);
    assertThat(Calibration.isCalibrated(loaded)).isTrue();
    List<Row> expected = TargetTrainer.withProbability(model.transform(data)).orderBy(TrainColumns.ID)
        .select(TrainColumns.P_POSITIVE).collectAsList();
    List<Row> actual = TargetTrainer.withProbability(loaded.transform(data)).orderBy(TrainColumns.ID)
        .select(TrainColumns.P_POSITIVE).collectAsList();
    assertThat(actual).isEqualTo(expected);
    // The strong regularisation squeezes the classifier's probabilities; the calibrated ones differ.
    Dataset<Row> raw = classifier.transform(data)
        .withColumn("p", org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1));
    assertThat(raw.agg(org.apache.spark.sql.functions.max("p")).first().getDouble(0))
        .isLessThan(actual.stream().mapToDouble(r -> r.getDouble(0)).max().orElseThrow());

    Dataset<Row> explained = ReasonCodes.explain(loaded, loaded.transform(data), 1, "reasons");
    assertThat(explained.select(org.apache.spark.sql.functions.size(col("reasons"))).distinct().collectAsList())
        .extracting(r -> r.getInt(0)).containsExactly(1);
  }

  @Test
  void theConfigRefusesAnUnknownMethodAFamilyAndAClipOutOfRange() {
    TrainSettings.Calibration defaults = ConfigLoader.loadFromString("").train().calibration();
    assertThat(defaults.method()).isEqualTo(Calibration.PLATT);
    assertThat(defaults.models()).containsExactly("gbt", "random_forest");
    assertThatThrownBy(() -> ConfigLoader.loadFromString("customer-value.train.calibration {\n method = beta\n"
        + " models = [gbt, svm]\n clip = 0.5\n}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).anySatisfy(p -> assertThat(p)
              .startsWith("'customer-value.train.calibration.method' = \"beta\"").contains("isotonic, platt, none"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p)
              .startsWith("'customer-value.train.calibration.models'").contains("svm"));
          assertThat(e.problems()).anySatisfy(p -> assertThat(p)
              .startsWith("'customer-value.train.calibration.clip' = 0.5"));
        });
  }
}

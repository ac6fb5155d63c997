package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import com.customervalue.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class EarlyStoppingTest {
  private static final String ON = "customer-value.train.early-stopping { validation-fraction = 0.25, tolerance = 0.01 }";
  private static final FeatureColumns X = new FeatureColumns(List.of("x", "y"), List.of(), List.of());

  /** 400 rows whose label is unrelated to the features: every tree after the first few only fits noise. */
  private static Dataset<Row> noise(SparkSession spark) {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(RowFactory.create(random.nextGaussian(), random.nextGaussian(), random.nextBoolean() ? 1.0 : 0.0, 1.0,
          i % 4 == 0));
    }
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType)
        .add(TrainColumns.LABEL, DataTypes.DoubleType).add(TrainColumns.WEIGHT, DataTypes.DoubleType)
        .add(TrainColumns.EARLY_STOPPING, DataTypes.BooleanType);
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void boostingStopsOnceTheHeldOutLossNoLongerFalls(SparkSession spark) {
    Dataset<Row> data = noise(spark);
    Candidate gbt = new Candidate(ModelFamily.GBT, "class_weight", false, List.of(), "");

    PipelineModel all = Pipelines.build(gbt, X, ConfigLoader.loadFromString("").train()).pipeline().fit(data);
    PipelineModel stopped = Pipelines.build(gbt, X, ConfigLoader.loadFromString(ON).train()).pipeline().fit(data);

    // MLlib's default maxIter is 20: without early stopping every fit builds all of them.
    assertThat(TargetTrainer.trees(all)).isEqualTo(20);
    assertThat(TargetTrainer.trees(stopped)).isBetween(1, 10);
  }

  @Test
  void onlyGradientBoostedTreesWithoutSmoteStopEarly() {
    var settings = ConfigLoader.loadFromString(ON).train();
    for (ModelFamily family : List.of(ModelFamily.GBT, ModelFamily.GBT_REGRESSOR)) {
      var estimator = Pipelines.build(new Candidate(family, "none", false, List.of(), ""), X, settings).estimator();
      assertThat(estimator.getOrDefault(estimator.getParam("validationIndicatorCol")))
          .isEqualTo(TrainColumns.EARLY_STOPPING);
    }
    // SMOTE hands the estimator features, label and weight only, so there is no side to read.
    var smote = Pipelines.build(new Candidate(ModelFamily.GBT, "smote", false, List.of(), ""), X, settings)
        .estimator();
    assertThat(smote.isSet(smote.getParam("validationIndicatorCol"))).isFalse();
    var forest = Pipelines.build(new Candidate(ModelFamily.RANDOM_FOREST, "none", false, List.of(), ""), X, settings)
        .estimator();
    assertThat(forest.hasParam("validationIndicatorCol")).isFalse();
  }

  @Test
  void theHeldOutShareIsDrawnByAccountSoAnAccountsSnapshotsStayTogether(SparkSession spark) {
    StructType schema = new StructType().add(TrainColumns.ID, DataTypes.StringType)
        .add(TrainColumns.AS_OF, DataTypes.DateType).add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType)
        .add("returned", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    Random random = new Random(9);
    for (int a = 0; a < 400; a++) {
      for (String asOf : List.of("2019-01-01", "2020-01-01", "2021-01-01")) {
        rows.add(RowFactory.create("acct" + a, Date.valueOf(asOf), random.nextGaussian(), random.nextGaussian(),
            random.nextInt(2)));
      }
    }
    TrainingTable table = new TrainingTable(spark.createDataFrame(rows, schema), X, Map.of("returned", true), true,
        Map.of());
    AppConfig on = ConfigLoader.loadFromString(ON);

    TrainJob.TargetData data = TrainJob.split(table, "returned", true, on);
    try {
      Dataset<Row> train = data.train();
      long accounts = train.select(TrainColumns.ID).distinct().count();
      long heldOut = train.where(col(TrainColumns.EARLY_STOPPING)).select(TrainColumns.ID).distinct().count();
      assertThat(train.groupBy(TrainColumns.ID).agg(countDistinct(col(TrainColumns.EARLY_STOPPING)).as("sides"))
          .where(col("sides").gt(1)).count()).isZero();
      assertThat((double) heldOut / accounts).isBetween(0.18, 0.32);
    } finally {
      data.release();
    }

    TrainJob.TargetData off = TrainJob.split(table, "returned", true, ConfigLoader.loadFromString(""));
    try {
      assertThat(off.train().columns()).doesNotContain(TrainColumns.EARLY_STOPPING);
    } finally {
      off.release();
    }
  }
}

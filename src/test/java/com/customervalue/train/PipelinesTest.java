package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.ConfigLoader;
import com.customervalue.config.TrainSettings;
import com.customervalue.testing.SparkExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class PipelinesTest {
  private static final StructType SCHEMA = new StructType().add("a", DataTypes.DoubleType)
      .add("c", DataTypes.DoubleType).add("industry", DataTypes.StringType).add(TrainColumns.LABEL, DataTypes.DoubleType)
      .add(TrainColumns.WEIGHT, DataTypes.DoubleType);

  @Test
  void regressionImputationFillsAColumnFromTheOthersAndUnseenCategoriesDoNotFail(SparkSession spark) {
    TrainSettings settings = ConfigLoader.loadFromString(
        "customer-value.train.imputation.regression-columns = [\"c\"]").train();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double a = i / 4.0;
      // c = 2a + 1 where it is known; every fifth value is missing
      rows.add(RowFactory.create(a, i % 5 == 0 ? null : 2 * a + 1, i % 2 == 0 ? "retail" : "medical",
          i < 20 ? 0.0 : 1.0, 1.0));
    }
    Dataset<Row> data = spark.createDataFrame(rows, SCHEMA);
    Candidate candidate = new Candidate(ModelFamily.LOGISTIC, "none", false, List.of(), "");
    FeatureColumns columns = new FeatureColumns(List.of("a", "c"), List.of("industry"), List.of());

    PipelineModel model = Pipelines.build(candidate, columns, settings).pipeline().fit(data);

    List<Row> filled = model.transform(data.where(col("c").isNull())).select("a", "c__imputed").collectAsList();
    assertThat(filled).hasSize(8);
    for (Row r : filled) {
      assertThat(r.getDouble(1)).isCloseTo(2 * r.getDouble(0) + 1, org.assertj.core.data.Offset.offset(0.2));
    }
    Dataset<Row> unseen = spark.createDataFrame(List.of(RowFactory.create(1.0, 3.0, "aerospace", 0.0, 1.0)), SCHEMA);
    assertThat(TargetTrainer.withProbability(model.transform(unseen)).first().<Double>getAs(TrainColumns.P_POSITIVE))
        .isBetween(0.0, 1.0);
  }

  @Test
  void regressorsReportTheirPredictionOnTheOriginalScale(SparkSession spark) {
    TrainSettings settings = ConfigLoader.loadFromString("customer-value.train.grid {}").train();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(RowFactory.create((double) i, (double) (i % 3), "x", Math.log1p(100.0 * i), 1.0));
    }
    Dataset<Row> data = spark.createDataFrame(rows, SCHEMA);
    PipelineModel model = Pipelines.build(new Candidate(ModelFamily.LINEAR_REGRESSOR, "none", false, List.of(), ""),
        new FeatureColumns(List.of("a", "c"), List.of(), List.of()), settings).pipeline().fit(data);
    for (Row r : model.transform(data).select("prediction", TrainColumns.PREDICTED_VALUE).collectAsList()) {
      assertThat(r.getDouble(1)).isCloseTo(Math.expm1(r.getDouble(0)), org.assertj.core.data.Offset.offset(1e-6));
    }
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.job.RunContext;
import com.customervalue.testing.SharedData;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * IBM Telco churn (../shared/data/telco) through conf/examples/telco-churn.conf: a prepared
 * labelled table, 5-fold stratified cross-validation. data/README.md: scikit-learn reaches ROC-AUC
 * 0.845 (logistic) and 0.847 (gradient boosting).
 */
@ExtendWith(SparkExtension.class)
class TelcoPreparedTableTest {
  private static final Path FILE = SharedData.path("telco/WA_Fn-UseC_-Telco-Customer-Churn.csv");

  @Test
  void fiveFoldCrossValidatedRocAucReachesThePublishedFigure(SparkSession spark, @TempDir Path dir) {
    AppConfig config = ConfigLoader.load(Optional.of(Path.of("conf/examples/telco-churn.conf")),
        "customer-value { warehouse.root = \"" + dir + "\", train.prepared.path = \"" + FILE + "\","
            + " train.classifiers = [\"logistic\"] }");

    new TrainJob().run(spark, config, new RunContext("telco", Optional.empty(), Instant.now()));

    Dataset<Row> metrics = spark.read().format("delta").load(config.warehouse().tablePath(TrainTables.MODEL_METRICS));
    Row auc = metrics.where(col("metric").equalTo("roc_auc")).first();
    assertThat(auc.<String>getAs("evaluation")).isEqualTo(TrainTables.CROSS_VALIDATION);
    assertThat(auc.<Long>getAs("rows")).isEqualTo(7043L);
    assertThat(auc.<Double>getAs("value")).isGreaterThanOrEqualTo(0.845);
    assertThat(metrics.where(col("evaluation").equalTo(TrainTables.OUT_OF_TIME)).count()).isZero();
    List<Row> importance = spark.read().format("delta")
        .load(config.warehouse().tablePath(TrainTables.FEATURE_IMPORTANCE)).orderBy("rank").limit(10).collectAsList();
    assertThat(importance).extracting(r -> r.<String>getAs("feature_column"))
        .contains("tenure", "Contract").doesNotContain("customerID", "Churn");
  }
}

package com.customervalue.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.testing.SparkExtension;
import com.customervalue.train.ModelFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class TrainCostTest {
  @TempDir Path dir;

  @Test
  void countsTheFitsOfCrossValidationAndTheTreesOfEachFit(SparkSession spark) throws Exception {
    StringBuilder csv = new StringBuilder("id,x,y,churn\n");
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      double x = random.nextGaussian();
      csv.append(i).append(',').append(x).append(',').append(random.nextGaussian()).append(',')
          .append(x + 0.8 * random.nextGaussian() > 0 ? "Yes" : "No").append('\n');
    }
    Path file = dir.resolve("prepared.csv");
    Files.writeString(file, csv);
    String config = "customer-value { warehouse.root = \"" + dir.resolve("w") + "\"\n"
        + " train { classifiers = [\"logistic\", \"gbt\"], folds = 2\n"
        + "  prepared { path = \"" + file + "\", format = csv, options { header = \"true\" }, id-column = id,"
        + " label-column = churn, positive-label = \"Yes\", numeric-columns = [x, y] }\n"
        + "  grid { logistic { regParam = [0.01, 0.1], elasticNetParam = [0.0] }, gbt { maxIter = [12], maxDepth = [2] } } } }";
    AppConfig app = ConfigLoader.load(Optional.empty(), config);
    AppConfig stopping = ConfigLoader.load(Optional.empty(), config
        + "\ncustomer-value.train.early-stopping.validation-fraction = 0.3");

    try (TrainCost cost = TrainCost.prepare(spark, app, stopping)) {
      assertThat(cost.target()).isEqualTo("churn");
      assertThat(cost.trainingRows()).isEqualTo(300);
      assertThat(cost.stopsEarly(ModelFamily.GBT)).isTrue();
      assertThat(cost.stopsEarly(ModelFamily.LOGISTIC)).isFalse();

      TrainCost.Outcome gbt = cost.singleFit(ModelFamily.GBT, false);
      assertThat(gbt.fits()).isEqualTo(1);
      assertThat(gbt.trees()).isEqualTo(12);
      // A prepared table has no out-of-time snapshot.
      assertThat(gbt.outOfTimeRocAuc()).isNaN();

      TrainCost.Outcome logistic = cost.crossValidation(ModelFamily.LOGISTIC, false);
      assertThat(logistic.fits()).isEqualTo(2 * 2 + 1);
      assertThat(logistic.trees()).isZero();
      assertThat(logistic.note("logistic", false)).startsWith("model=logistic early_stopping=off fits=5 trees=0");

      assertThat(cost.crossValidation(ModelFamily.GBT, true).trees()).isBetween(1, 12);
    }
  }
}

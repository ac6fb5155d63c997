package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.testing.SparkExtension;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code train.max-training-rows}: which rows the models of a target are fitted on when there are more. */
@ExtendWith(SparkExtension.class)
class TrainingSampleTest {
  private static final int ACCOUNTS = 2_000;
  private static final List<String> TRAINING = List.of("2019-01-01", "2019-07-01", "2020-01-01");
  private static final String TEST = "2021-01-01";
  private static final FeatureColumns X = new FeatureColumns(List.of("x"), List.of(), List.of());

  /** 2,000 accounts on three training snapshots and one out-of-time snapshot, about a quarter positive. */
  private static TrainingTable table(SparkSession spark) {
    StructType schema = new StructType().add(TrainColumns.ID, DataTypes.StringType)
        .add(TrainColumns.AS_OF, DataTypes.DateType).add("x", DataTypes.DoubleType)
        .add("returned", DataTypes.IntegerType);
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      for (String asOf : concat(TRAINING, TEST)) {
        rows.add(RowFactory.create("acct" + a, Date.valueOf(asOf), random.nextGaussian(),
            random.nextDouble() < 0.25 ? 1 : 0));
      }
    }
    return new TrainingTable(spark.createDataFrame(rows, schema), X, Map.of("returned", true), true, Map.of());
  }

  private static List<String> concat(List<String> list, String last) {
    List<String> all = new ArrayList<>(list);
    all.add(last);
    return all;
  }

  private static AppConfig capped(int maxRows) {
    return ConfigLoader.loadFromString("customer-value { snapshots.horizon-days = 90, train.max-training-rows = "
        + maxRows + " }");
  }

  private static List<String> accounts(Dataset<Row> rows) {
    return rows.select(TrainColumns.ID).distinct().orderBy(TrainColumns.ID).as(Encoders.STRING()).collectAsList();
  }

  @Test
  void aboveTheCapWholeAccountsAreSampledAndTheOutOfTimeSnapshotIsKeptInFull(SparkSession spark) {
    TrainingTable table = table(spark);

    TrainJob.TargetData data = TrainJob.split(table, "returned", true, capped(2_000));
    TrainJob.TargetData again = TrainJob.split(table, "returned", true, capped(2_000));
    try {
      Dataset<Row> train = data.train();
      long rows = train.count();
      // A third of 2,000 accounts, 3 rows each: the binomial spread of the kept accounts is about 21.
      assertThat(rows).isBetween(1_800L, 2_200L);
      assertThat(data.sample().sampled()).isTrue();
      assertThat(data.sample().availableRows()).isEqualTo(3L * ACCOUNTS);
      assertThat(data.sample().fraction()).isCloseTo(1.0 / 3, within(1e-9));
      // Every kept account keeps all its training snapshots, so the folds still hold whole accounts.
      assertThat(train.groupBy(TrainColumns.ID).agg(count(col(TrainColumns.AS_OF)).as("n")).where(col("n").notEqual(3))
          .count()).isZero();
      assertThat(train.groupBy(TrainColumns.ID).agg(org.apache.spark.sql.functions.countDistinct(
          col(TrainColumns.FOLD)).as("folds")).where(col("folds").gt(1)).count()).isZero();
      assertThat(data.test().count()).isEqualTo(ACCOUNTS);
      // The class weights are those of the sample: each class weighs half of its rows.
      List<Row> byClass = train.groupBy(col(TrainColumns.LABEL)).agg(sum(col(TrainColumns.WEIGHT)))
          .orderBy(TrainColumns.LABEL).collectAsList();
      assertThat(byClass).hasSize(2);
      assertThat(byClass.get(0).getDouble(1)).isCloseTo(rows / 2.0, within(1e-6));
      assertThat(byClass.get(1).getDouble(1)).isCloseTo(rows / 2.0, within(1e-6));
      // Seeded: the same config picks the same accounts.
      assertThat(accounts(again.train())).isEqualTo(accounts(train));
    } finally {
      data.release();
      again.release();
    }
  }

  @Test
  void atOrBelowTheCapOrWithoutOneEveryRowIsUsed(SparkSession spark) {
    TrainingTable table = table(spark);
    for (int maxRows : new int[] {0, 3 * ACCOUNTS}) {
      TrainJob.TargetData data = TrainJob.split(table, "returned", true, capped(maxRows));
      try {
        assertThat(data.train().count()).as("max-training-rows = %d", maxRows).isEqualTo(3L * ACCOUNTS);
        assertThat(data.sample().sampled()).isFalse();
      } finally {
        data.release();
      }
    }
  }

  @Test
  void aRegressionTargetIsSampledTheSameWay(SparkSession spark) {
    TrainingTable table = table(spark);
    TrainingTable regression = new TrainingTable(table.rows(), X, Map.of("returned", false), true, Map.of());

    TrainJob.TargetData data = TrainJob.split(regression, "returned", false, capped(1_500));
    try {
      assertThat(data.sample().fraction()).isCloseTo(0.25, within(1e-9));
      assertThat(data.train().count()).isBetween(1_300L, 1_700L);
      assertThat(data.test().count()).isEqualTo(ACCOUNTS);
    } finally {
      data.release();
    }
  }
}

package com.customervalue.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.testing.LogCapture;
import com.customervalue.testing.SparkExtension;
import com.customervalue.testing.TableComparison;
import com.customervalue.train.TrainJob;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift watch through the score job: a logistic model trained by the train job on three
 * snapshots, then a scored snapshot in which one number has moved and one category is new. The
 * job writes feature_drift with those two flagged and logged, and re-running it for the same run
 * id leaves the same rows, compared against the customer_features version the model recorded even
 * after its training snapshots were rebuilt.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreJobDriftTest {
  private static final List<LocalDate> LABELLED = List.of(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 4, 1),
      LocalDate.of(2020, 7, 1));
  private static final LocalDate SCORED = LocalDate.of(2020, 10, 1);
  private static final int ACCOUNTS = 80;
  private static final String FEATURES_RUN = "f1";
  private static final StructType FEATURES = new StructType()
      .add("account_key", DataTypes.StringType).add("account_key_hash", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("labelled", DataTypes.BooleanType)
      .add("returned", DataTypes.IntegerType).add("bought_top_tier", DataTypes.IntegerType)
      .add("revenue_next", DataTypes.DoubleType).add("support_cost_next", DataTypes.DoubleType)
      .add("adjusted_revenue", DataTypes.DoubleType)
      .add("driver", DataTypes.DoubleType).add("revenue_365d", DataTypes.DoubleType)
      .add("industry", DataTypes.StringType).add("state", DataTypes.StringType)
      .add("run_id", DataTypes.StringType);
  private static final StructType KEYED = new StructType()
      .add("account_key", DataTypes.StringType).add("account_key_hash", DataTypes.StringType)
      .add("person_key", DataTypes.StringType).add("person_key_hash", DataTypes.StringType)
      .add("invoice_date", DataTypes.TimestampType).add("company", DataTypes.StringType)
      .add("_run_id", DataTypes.StringType);

  @TempDir static Path dir;
  private AppConfig config;
  private final LogCapture logs = new LogCapture(DriftWatch.class.getName(), Level.INFO);

  @BeforeAll
  void trainAModelAndWriteTheScoredSnapshot(SparkSession spark) {
    config = ConfigLoader.loadFromString("customer-value {\n"
        + "  warehouse.root = \"" + dir.resolve("warehouse") + "\"\n"
        + "  warehouse.register = false\n"
        + "  snapshots.horizon-days = 60\n"
        + "  train {\n"
        + "    targets = [\"returned\"]\n"
        + "    classifiers = [\"logistic\"]\n"
        + "    compare-variants = []\n"
        + "    compare-models = []\n"
        + "    folds = 2\n"
        + "    text.enabled = false\n"
        + "    grid.logistic { regParam = [0.01], elasticNetParam = [0.0] }\n"
        + "  }\n"
        + "}\n");
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    List<Row> keyed = new ArrayList<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      String account = "acct" + a + ".example";
      // revenue_365d and state take the same values in every snapshot: they do not drift.
      double revenue = 100.0 * (a % 10);
      String state = a % 2 == 0 ? "MI" : "OH";
      String industry = industry(a);
      for (LocalDate asOf : LABELLED) {
        double driver = random.nextGaussian();
        int returned = driver + (industry.equals("retail") ? 0.5 : 0.0) + 0.5 * random.nextGaussian() > 0 ? 1 : 0;
        rows.add(RowFactory.create(account, "hash" + a, Date.valueOf(asOf), true, returned, 0, 10.0 * returned, 0.0,
            10.0 * returned, driver, revenue, industry, state, FEATURES_RUN));
      }
      // The scored snapshot: driver moved up by two standard deviations, every fifth account in a new industry.
      rows.add(RowFactory.create(account, "hash" + a, Date.valueOf(SCORED), false, null, null, null, null, null,
          2.0 + random.nextGaussian(), revenue, a % 5 == 0 ? "space" : industry, state, FEATURES_RUN));
      keyed.add(RowFactory.create(account, "hash" + a, "buyer@" + account, "person" + a,
          Timestamp.valueOf("2020-06-01 10:00:00"), "Company " + a, FEATURES_RUN));
    }
    spark.createDataFrame(rows, FEATURES).write().format("delta").mode(SaveMode.Overwrite).partitionBy("as_of")
        .save(config.warehouse().tablePath("customer_features"));
    spark.createDataFrame(keyed, KEYED).write().format("delta").mode(SaveMode.Overwrite)
        .save(config.warehouse().tablePath("keyed_invoices"));
    new TrainJob().run(spark, config, new RunContext("t1", Optional.empty(), Instant.parse("2021-01-01T00:00:00Z")));
    logs.attach();
  }

  @AfterAll
  void detach() {
    logs.detach();
  }

  private static String industry(int a) {
    return a % 3 == 0 ? "retail" : a % 3 == 1 ? "aerospace" : "medical";
  }

  private JobResult score(SparkSession spark, AppConfig settings, String runId) {
    return new ScoreJob().run(spark, settings, new RunContext(runId, Optional.empty(),
        Instant.parse("2021-02-01T00:00:00Z")));
  }

  private Dataset<Row> drift(SparkSession spark, String runId) {
    return spark.read().format("delta").load(config.warehouse().tablePath(FeatureDrift.NAME))
        .where(col(FeatureDrift.RUN_ID).equalTo(runId));
  }

  @Test
  void scoringWritesFeatureDriftFlagsTheMovedFeaturesAndReRunsReplaceTheRows(SparkSession spark) {
    logs.clear();
    JobResult first = score(spark, config, "s1");

    assertThat(first.rowsWritten()).containsEntry(FeatureDrift.NAME, 4L).containsKey(CustomerScores.NAME);
    Dataset<Row> written = drift(spark, "s1");
    assertThat(written.schema().fieldNames()).containsExactly(FeatureDrift.SCHEMA.fieldNames());
    Map<String, Row> byFeature = written.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(FeatureDrift.FEATURE), r -> r));
    assertThat(byFeature).containsOnlyKeys("driver", "revenue_365d", "industry", "state");
    for (Row r : byFeature.values()) {
      assertThat(r.<String>getAs(FeatureDrift.TARGET)).isEqualTo("returned");
      assertThat(r.<String>getAs(FeatureDrift.MODEL_RUN_ID)).isEqualTo("t1");
      assertThat(r.<Date>getAs(FeatureDrift.SCORE_DATE).toLocalDate()).isEqualTo(SCORED);
      // Purged of the snapshot whose 60-day label window reaches the out-of-time one: the first two.
      assertThat(r.getList(r.fieldIndex(FeatureDrift.TRAINING_SNAPSHOTS)).stream().map(String::valueOf).toList())
          .containsExactly("2020-01-01", "2020-04-01");
      assertThat(r.<Long>getAs(FeatureDrift.TRAINING_ROWS)).isEqualTo(2L * ACCOUNTS);
      assertThat(r.<Long>getAs(FeatureDrift.SCORED_ROWS)).isEqualTo(ACCOUNTS);
    }
    assertThat(byFeature.get("driver").<Double>getAs(FeatureDrift.PSI)).isGreaterThan(1.0);
    assertThat(byFeature.get("driver").<String>getAs(FeatureDrift.STATUS)).isEqualTo(FeatureDrift.WARN);
    assertThat(byFeature.get("driver").<Double>getAs(FeatureDrift.UNSEEN_SHARE)).isNull();
    assertThat(byFeature.get("revenue_365d").<Double>getAs(FeatureDrift.PSI)).isCloseTo(0.0, within(1e-12));
    assertThat(byFeature.get("state").<Double>getAs(FeatureDrift.PSI)).isCloseTo(0.0, within(1e-12));
    assertThat(byFeature.get("state").<String>getAs(FeatureDrift.STATUS)).isEqualTo(FeatureDrift.OK);
    assertThat(byFeature.get("industry").<Double>getAs(FeatureDrift.UNSEEN_SHARE)).isEqualTo(16.0 / ACCOUNTS);
    assertThat(byFeature.get("industry").<String>getAs(FeatureDrift.STATUS)).isEqualTo(FeatureDrift.WARN);

    List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("WARN")).toList();
    // One warning for the model, its drifted features worst first.
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("2 features of the returned model logistic@t1 drifted on",
        "(PSI above 0.25 or unseen share above 0.05)", "train the model again", "feature_drift");
    assertThat(warnings.get(0)).containsPattern("driver \\(PSI [0-9.]+\\)")
        .containsPattern("industry \\(PSI [0-9.]+, 20\\.0% unseen\\)");
    assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith(
        "INFO score: drift: 2 of 4 features above PSI 0.25 or unseen share 0.05"));
    assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("read at customer_features version 0, as the"
        + " model's metadata records"));
    assertThat(first.report()).anySatisfy(l -> assertThat(l).startsWith(
        "Feature drift (feature_drift): 2 of 4 features above PSI 0.25 or unseen share 0.05"));

    // The training snapshots rebuilt with other values since the model was trained: a re-run still
    // compares with the rows the model learnt from, and replaces the run's rows with the same rows.
    String features = config.warehouse().tablePath("customer_features");
    spark.read().format("delta").load(features).where(col("as_of").equalTo(Date.valueOf(LABELLED.get(0))))
        .withColumn("driver", col("driver").plus(lit(5.0))).localCheckpoint()
        .write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", "as_of = DATE'2020-01-01'")
        .save(features);
    List<Row> before = TableComparison.comparable(written).collectAsList();
    JobResult again = score(spark, config, "s1");

    assertThat(again.rowsWritten()).containsEntry(FeatureDrift.NAME, 4L);
    Dataset<Row> beforeRows = spark.createDataFrame(before, TableComparison.comparable(written).schema());
    Dataset<Row> after = TableComparison.comparable(drift(spark, "s1"));
    assertThat(after.count()).isEqualTo(4);
    assertThat(after.exceptAll(beforeRows).count()).isZero();
    assertThat(beforeRows.exceptAll(after).count()).isZero();
  }

  @Test
  void switchedOffItWritesNoDriftRows(SparkSession spark) {
    AppConfig off = ConfigLoader.loadFromString("customer-value {\n"
        + "  warehouse.root = \"" + dir.resolve("warehouse") + "\"\n"
        + "  warehouse.register = false\n"
        + "  score.drift.enabled = false\n"
        + "}\n");

    JobResult result = score(spark, off, "s-off");

    assertThat(result.rowsWritten()).containsKey(CustomerScores.NAME).doesNotContainKey(FeatureDrift.NAME);
    if (io.delta.tables.DeltaTable.isDeltaTable(spark, config.warehouse().tablePath(FeatureDrift.NAME))) {
      assertThat(drift(spark, "s-off").count()).isZero();
    }
  }
}

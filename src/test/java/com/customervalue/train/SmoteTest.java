package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.testing.SparkExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class SmoteTest {
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.IntegerType)
      .add("features", SQLDataTypes.VectorType())
      .add("label", DataTypes.DoubleType)
      .add("w", DataTypes.DoubleType);

  /** Big buckets: every pair of cluster points shares a bucket, so LSH finds the exact k nearest. */
  private static final Smote.Settings EXACT = new Smote.Settings(3, 1.0, 1000.0, 3, 11L);

  private record Point(double x, double y) {}

  private static Row row(int id, double x, double y, double label) {
    return RowFactory.create(id, Vectors.dense(x, y), label, 2.0);
  }

  /** Minority (label 1) on the grid {0,1,2} x {0,1,2,3}; majority (label 0) on {10..15} x {0..5}. */
  private static List<Row> gridRows() {
    List<Row> rows = new ArrayList<>();
    int id = 0;
    for (int x = 0; x <= 2; x++) {
      for (int y = 0; y <= 3; y++) {
        rows.add(row(id++, x, y, 1.0));
      }
    }
    for (int x = 10; x <= 15; x++) {
      for (int y = 0; y <= 5; y++) {
        rows.add(row(id++, x, y, 0.0));
      }
    }
    return rows;
  }

  private static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Synthetic rows are the ones without an id: Smote leaves columns it does not need empty. */
  private static Dataset<Row> synthetic(Dataset<Row> oversampled) {
    return oversampled.filter(col("id").isNull());
  }

  private static List<Point> points(Dataset<Row> rows) {
    return rows.select("features").collectAsList().stream()
        .map(r -> r.<Vector>getAs(0))
        .map(v -> new Point(v.apply(0), v.apply(1)))
        .toList();
  }

  private static long label(Dataset<Row> rows, double label) {
    return rows.filter(col("label").equalTo(label)).count();
  }

  @Test
  void bringsTheMinorityToTheTargetRatioAndLeavesTheOriginalRowsAlone(SparkSession spark) {
    // 10 minority points, 33 majority: 23 synthetic rows, i.e. not a multiple of the 10 sources.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(row(i, i % 5, i / 5, 1.0));
    }
    for (int i = 0; i < 33; i++) {
      rows.add(row(100 + i, 20 + i % 6, i / 6, 0.0));
    }
    Dataset<Row> data = frame(spark, rows);
    Smote.Settings settings = new Smote.Settings(3, 1.0, 4.0, 3, 5L);

    Dataset<Row> oversampled = Smote.oversample(data, "features", "label", "w", settings);

    assertThat(label(oversampled, 1.0)).isEqualTo(33);
    assertThat(label(oversampled, 0.0)).isEqualTo(33);
    assertThat(data.exceptAll(oversampled).count()).as("every original row is kept, duplicates counted").isZero();
    Dataset<Row> added = oversampled.exceptAll(data);
    assertThat(added.count()).isEqualTo(23);
    assertThat(added.filter(col("label").equalTo(1.0).and(col("id").isNull()).and(col("w").equalTo(1.0))).count())
        .as("synthetic rows: minority label, weight 1.0, nothing in other columns").isEqualTo(23);
    Dataset<Row> majorityBefore = data.filter(col("label").equalTo(0.0));
    Dataset<Row> majorityAfter = oversampled.filter(col("label").equalTo(0.0));
    assertThat(majorityBefore.exceptAll(majorityAfter).count()).isZero();
    assertThat(majorityAfter.exceptAll(majorityBefore).count()).isZero();

    Dataset<Row> half = Smote.oversample(data, "features", "label",
        new Smote.Settings(3, 0.5, 4.0, 3, 5L));
    assertThat(label(half, 1.0)).as("ceil(0.5 * 33)").isEqualTo(17);
    assertThat(half.columns()).as("no weight column asked for, the schema is the input's")
        .containsExactly(data.columns());
  }

  @Test
  void syntheticPointsLieOnSegmentsToOneOfTheKNearestMinorityNeighbours(SparkSession spark) {
    List<Row> rows = gridRows();
    Dataset<Row> data = frame(spark, rows);
    List<Point> minority = points(data.filter(col("label").equalTo(1.0)));
    List<Point> majority = points(data.filter(col("label").equalTo(0.0)));

    List<Point> made = points(synthetic(Smote.oversample(data, "features", "label", EXACT)));

    assertThat(made).hasSize(36 - 12);
    for (Point s : made) {
      assertThat(minority.stream().anyMatch(x -> nearest(x, minority, EXACT.k()).stream()
          .anyMatch(n -> onSegment(s, x, n))))
          .as("%s lies between a minority point and one of its %d nearest minority neighbours", s, EXACT.k())
          .isTrue();
      assertThat(majority.stream().mapToDouble(m -> distance(s, m)).min().orElseThrow())
          .as("%s stays away from the majority region", s).isGreaterThanOrEqualTo(8.0);
    }
  }

  @Test
  void aMinorityPointWithoutNeighboursMakesNoSyntheticRows(SparkSession spark) {
    List<Row> rows = gridRows();
    rows.add(row(999, 60.0, 80.0, 1.0));
    rows.add(row(1000, 12.0, 6.0, 0.0));
    Dataset<Row> data = frame(spark, rows);

    // Small buckets: the far-off point shares no bucket with the grid.
    List<Point> made = points(synthetic(
        Smote.oversample(data, "features", "label", new Smote.Settings(3, 1.0, 2.0, 3, 11L))));

    assertThat(made).as("37 majority - 13 minority, all from the grid points").hasSize(24);
    assertThat(made).allSatisfy(s -> {
      assertThat(s.x()).isBetween(0.0, 2.0);
      assertThat(s.y()).isBetween(0.0, 3.0);
    });
  }

  @Test
  void theSameSeedGivesTheSameRowsWhateverTheInputOrder(SparkSession spark) {
    List<Row> rows = gridRows();
    Dataset<Row> data = frame(spark, rows);
    List<Row> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);

    Dataset<Row> first = synthetic(Smote.oversample(data, "features", "label", EXACT));
    Dataset<Row> again = synthetic(Smote.oversample(frame(spark, reversed).repartition(3), "features", "label",
        EXACT));
    Dataset<Row> otherSeed = synthetic(Smote.oversample(data, "features", "label",
        new Smote.Settings(EXACT.k(), EXACT.targetRatio(), EXACT.bucketLength(), EXACT.numHashTables(), 12L)));

    assertThat(first.exceptAll(again).count()).isZero();
    assertThat(again.exceptAll(first).count()).isZero();
    assertThat(otherSeed.count()).isEqualTo(first.count());
    assertThat(first.exceptAll(otherSeed).count()).isPositive();
  }

  @Test
  void tunedByCrossValidatorTheGridReachesTheInnerEstimatorAndTheModelSavesAndLoads(
      SparkSession spark, @TempDir Path dir) throws IOException {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean churned = i % 5 == 0;
      double centre = churned ? 1.5 : 0.0;
      rows.add(RowFactory.create(i, centre + random.nextGaussian(), centre + random.nextGaussian(),
          churned ? 1.0 : 0.0));
    }
    Dataset<Row> data = spark.createDataFrame(rows, new StructType()
        .add("id", DataTypes.IntegerType).add("f1", DataTypes.DoubleType).add("f2", DataTypes.DoubleType)
        .add("label", DataTypes.DoubleType));
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"f1", "f2"})
        .setOutputCol("features");
    LogisticRegression lr = new LogisticRegression().setFeaturesCol(assembler.getOutputCol()).setMaxIter(50);
    Smote<LogisticRegressionModel> smote = new Smote<>(lr).setBucketLength(2.0).setSeed(5L);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, smote});
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.0, 1.0}).build();
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new BinaryClassificationEvaluator()).setNumFolds(2).setSeed(7L).setCollectSubModels(true);

    CrossValidatorModel tuned = cv.fit(data);

    PipelineModel best = (PipelineModel) tuned.bestModel();
    LogisticRegressionModel bestLr = (LogisticRegressionModel) best.stages()[1];
    assertThat(bestLr.getRegParam()).isIn(0.0, 1.0);
    assertThat(bestLr.summary().predictions().count())
        .as("refit on all 60 rows: 48 majority, 12 minority + 36 synthetic").isEqualTo(96);
    LogisticRegressionModel free = (LogisticRegressionModel) ((PipelineModel) tuned.subModels()[0][0]).stages()[1];
    LogisticRegressionModel shrunk = (LogisticRegressionModel) ((PipelineModel) tuned.subModels()[0][1]).stages()[1];
    assertThat(free.getRegParam()).isEqualTo(0.0);
    assertThat(shrunk.getRegParam()).isEqualTo(1.0);
    assertThat(Vectors.norm(shrunk.coefficients(), 2.0)).isLessThan(Vectors.norm(free.coefficients(), 2.0));

    String path = dir.resolve("model").toString();
    best.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    Dataset<Row> before = best.transform(data).select("id", "prediction", "probability");
    Dataset<Row> after = loaded.transform(data).select("id", "prediction", "probability");
    assertThat(loaded.stages()).extracting(s -> s.getClass().getSimpleName())
        .containsExactly("VectorAssembler", "LogisticRegressionModel");
    assertThat(before.exceptAll(after).count()).isZero();
    assertThat(after.exceptAll(before).count()).isZero();
  }

  @Test
  void copyForwardsTheParamMapToTheInnerEstimator() {
    LogisticRegression lr = new LogisticRegression();
    Smote<LogisticRegressionModel> smote = new Smote<>(lr).setK(4);

    Smote<LogisticRegressionModel> copy = smote.copy(new ParamMap().put(lr.regParam().w(0.3))
        .put(smote.k().w(2)));

    assertThat(((LogisticRegression) copy.inner()).getRegParam()).isEqualTo(0.3);
    assertThat(copy.getK()).isEqualTo(2);
    assertThat(copy.uid()).isEqualTo(smote.uid());
    assertThat(smote.getK()).as("the original is unchanged").isEqualTo(4);
    assertThat(lr.getRegParam()).isEqualTo(0.0);
  }

  @Test
  void refusesLabelsItCannotOversample(SparkSession spark) {
    Dataset<Row> oneClass = frame(spark, List.of(row(1, 0, 0, 0.0), row(2, 1, 1, 0.0)));
    assertThatThrownBy(() -> Smote.oversample(oneClass, "features", "label", Smote.Settings.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot oversample label 'label': it has one class only (found: [0.0]), SMOTE needs both 0 and 1");
    assertThatThrownBy(() -> new Smote<>(new LogisticRegression()).fit(oneClass))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one class only");

    Dataset<Row> single = frame(spark, List.of(row(1, 0, 0, 0.0), row(2, 1, 1, 0.0), row(3, 2, 2, 1.0)));
    assertThatThrownBy(() -> Smote.oversample(single, "features", "label", Smote.Settings.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot oversample label 'label': the minority class 1.0 has 1 row(s),"
            + " SMOTE needs at least 2 to interpolate between");

    Dataset<Row> threeClasses = frame(spark, List.of(row(1, 0, 0, 0.0), row(2, 1, 1, 2.0)));
    assertThatThrownBy(() -> Smote.oversample(threeClasses, "features", "label", Smote.Settings.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a binary 0/1 label, found value 2.0");
  }

  @Test
  void balancedDataIsReturnedUnchanged(SparkSession spark) {
    Dataset<Row> data = frame(spark, List.of(row(1, 0, 0, 0.0), row(2, 1, 1, 0.0), row(3, 2, 2, 1.0),
        row(4, 3, 3, 1.0)));

    assertThat(Smote.oversample(data, "features", "label", Smote.Settings.DEFAULTS)).isSameAs(data);
  }

  private static double distance(Point a, Point b) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y());
  }

  /** All points within the k-th smallest distance from x: on a grid, ties make "the k nearest" a set. */
  private static List<Point> nearest(Point x, List<Point> all, int k) {
    List<Point> others = all.stream().filter(p -> !p.equals(x))
        .sorted(Comparator.comparingDouble(p -> distance(x, p))).toList();
    double kth = distance(x, others.get(k - 1));
    return others.stream().filter(p -> distance(x, p) <= kth + 1e-12).toList();
  }

  private static boolean onSegment(Point s, Point a, Point b) {
    double dx = b.x() - a.x();
    double dy = b.y() - a.y();
    double sx = s.x() - a.x();
    double sy = s.y() - a.y();
    double cross = dx * sy - dy * sx;
    double dot = dx * sx + dy * sy;
    return Math.abs(cross) < 1e-9 && dot >= -1e-9 && dot <= dx * dx + dy * dy + 1e-9;
  }
}

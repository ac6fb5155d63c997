package com.customervalue.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.testing.SparkExtension;
import com.customervalue.train.ReasonCodes.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.DecisionTreeRegressor;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class ReasonCodesTest {
  private static final long SEED = 20240611L;
  private static final String[] NUMERIC = {"a", "b", "c"};
  private static final String RAW = "raw_features";
  private static final String FEATURES = "features";
  private static final String LABEL = "label";
  private static final String TARGET = "target";
  private static final String REASONS = "reasons";

  /** The margin/prediction/probability each model is explained in, read from its own output columns. */
  private static final ToDoubleFunction<Row> RAW_MARGIN = r -> r.<Vector>getAs("rawPrediction").apply(1);
  private static final ToDoubleFunction<Row> PREDICTION = r -> r.<Double>getAs("prediction");
  private static final ToDoubleFunction<Row> PROBABILITY = r -> r.<Vector>getAs("probability").apply(1);

  private record Case(String name, PipelineStage estimator, ToDoubleFunction<Row> output) {}

  @Test
  void biasPlusContributionsIsTheModelsOwnOutputForEveryRow(SparkSession spark) {
    Dataset<Row> data = numericData(spark, 120);
    List<Case> cases = List.of(
        new Case("logistic margin", new LogisticRegression().setRegParam(0.01).setLabelCol(LABEL), RAW_MARGIN),
        new Case("linear regression", new LinearRegression().setLabelCol(TARGET), PREDICTION),
        new Case("GBT regressor", new GBTRegressor().setMaxIter(8).setMaxDepth(3).setSeed(SEED)
            .setLabelCol(TARGET), PREDICTION),
        new Case("GBT classifier margin", new GBTClassifier().setMaxIter(8).setMaxDepth(3).setSeed(SEED)
            .setLabelCol(LABEL), RAW_MARGIN),
        new Case("RF regressor", new RandomForestRegressor().setNumTrees(6).setMaxDepth(4).setSeed(SEED)
            .setLabelCol(TARGET), PREDICTION),
        new Case("RF classifier probability", new RandomForestClassifier().setNumTrees(6).setMaxDepth(4)
            .setSeed(SEED).setLabelCol(LABEL), PROBABILITY),
        new Case("tree regressor", new DecisionTreeRegressor().setMaxDepth(4).setSeed(SEED)
            .setLabelCol(TARGET), PREDICTION),
        new Case("tree classifier probability", new DecisionTreeClassifier().setMaxDepth(4).setSeed(SEED)
            .setLabelCol(LABEL), PROBABILITY));

    for (Case c : cases) {
      PipelineModel model = scaledPipeline(c.estimator()).fit(data);
      Model<?> last = finalStage(model);
      double bias = ReasonCodes.bias(last);
      List<Row> rows = model.transform(data).collectAsList();
      assertThat(rows).hasSize(120);
      boolean anyNonZero = false;
      for (Row row : rows) {
        double[] contributions = ReasonCodes.contributions(last, row.getAs(FEATURES));
        assertThat(contributions).as(c.name()).hasSize(NUMERIC.length);
        anyNonZero |= Arrays.stream(contributions).anyMatch(v -> v != 0);
        assertThat(bias + Arrays.stream(contributions).sum()).as(c.name())
            .isCloseTo(c.output().applyAsDouble(row), within(1e-9));
      }
      assertThat(anyNonZero).as(c.name() + " credits some feature").isTrue();
    }
  }

  @Test
  void aPlantedDriverIsTheTopReasonWithTheDirectionOfItsSign(SparkSession spark) {
    Dataset<Row> data = numericData(spark, 160);
    List<PipelineStage> estimators = List.of(new LogisticRegression().setRegParam(0.05).setLabelCol(LABEL),
        new GBTClassifier().setMaxIter(10).setMaxDepth(2).setSeed(SEED).setLabelCol(LABEL));

    for (PipelineStage estimator : estimators) {
      PipelineModel model = scaledPipeline(estimator).fit(data);
      List<Row> rows = ReasonCodes.explain(model, model.transform(data), 1, REASONS).collectAsList();
      String name = estimator.getClass().getSimpleName();
      int checked = 0;
      for (Row row : rows) {
        double scaledA = row.<Vector>getAs(FEATURES).apply(0);
        // Near the boundary a noise split may outweigh "a" by chance; far from it "a" must win.
        if (Math.abs(scaledA) < 0.75) {
          continue;
        }
        List<Row> reasons = row.getList(row.fieldIndex(REASONS));
        assertThat(reasons).as(name).hasSize(1);
        assertThat(reasons.get(0).<String>getAs("feature")).as(name + " at a=" + scaledA).isEqualTo("a");
        assertThat(reasons.get(0).<String>getAs("direction")).as(name + " at a=" + scaledA)
            .isEqualTo(scaledA > 0 ? ReasonCodes.UP : ReasonCodes.DOWN);
        checked++;
      }
      assertThat(checked).as(name + " rows far from the boundary").isGreaterThan(40);
    }
  }

  @Test
  void namesComeFromTheOneHotAndAssemblerMetadataThroughTheScaler(SparkSession spark) {
    StructType schema = new StructType().add("industry", DataTypes.StringType).add("a", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType).add(LABEL, DataTypes.DoubleType);
    Random random = new Random(SEED);
    String[] industries = {"retail", "retail", "retail", "retail", "retail", "consulting", "consulting",
        "consulting", "events", "events"};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String industry = industries[i % industries.length];
      double noise = random.nextGaussian();
      // Retail buys again; the others only rarely, at random.
      double label = industry.equals("retail") || random.nextGaussian() > 1.5 ? 1.0 : 0.0;
      rows.add(RowFactory.create(industry, noise, random.nextGaussian(), label));
    }
    Dataset<Row> data = spark.createDataFrame(rows, schema);
    StringIndexer indexer = new StringIndexer().setInputCol("industry").setOutputCol("industry_idx");
    OneHotEncoder oneHot = new OneHotEncoder().setInputCol(indexer.getOutputCol()).setOutputCol("industry_vec");
    VectorAssembler assembler = new VectorAssembler()
        .setInputCols(new String[] {oneHot.getOutputCol(), "a", "b"}).setOutputCol(RAW);
    StandardScaler scaler = new StandardScaler().setWithMean(true).setWithStd(true)
        .setInputCol(assembler.getOutputCol()).setOutputCol(FEATURES);
    LogisticRegression lr = new LogisticRegression().setRegParam(0.01).setLabelCol(LABEL)
        .setFeaturesCol(scaler.getOutputCol());
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {indexer, oneHot, assembler, scaler, lr})
        .fit(data);
    Dataset<Row> transformed = model.transform(data);

    // StringIndexer orders by frequency, and OneHotEncoder drops the last (rarest) category.
    assertThat(ReasonCodes.featureNames(model.stages(), transformed.schema(), FEATURES, 4))
        .containsExactly("industry_vec_retail", "industry_vec_consulting", "a", "b");
    Row retail = ReasonCodes.explain(model, transformed, 4, REASONS)
        .filter("industry = 'retail'").first();
    Row top = retail.<Row>getList(retail.fieldIndex(REASONS)).get(0);
    assertThat(top.<String>getAs("feature")).isEqualTo("industry_vec_retail");
    assertThat(top.<String>getAs("direction")).isEqualTo(ReasonCodes.UP);
  }

  @Test
  void topNIsRespectedSortedByMagnitudeWithDirectionsFromTheSign(SparkSession spark) {
    Dataset<Row> data = numericData(spark, 80);
    PipelineModel model = scaledPipeline(new LinearRegression().setLabelCol(TARGET)).fit(data);
    Model<?> last = finalStage(model);
    List<Row> rows = ReasonCodes.explain(model, model.transform(data), 2, REASONS).collectAsList();

    assertThat(rows).hasSize(80);
    for (Row row : rows) {
      List<Row> reasons = row.getList(row.fieldIndex(REASONS));
      assertThat(reasons).hasSize(2);
      double[] contributions = ReasonCodes.contributions(last, row.getAs(FEATURES));
      assertThat(reasons.stream().map(r -> new Reason(r.getAs("feature"), r.getAs("direction"),
          r.<Double>getAs("contribution"))).toList())
          .isEqualTo(ReasonCodes.top(contributions, NUMERIC, 2));
      assertThat(Math.abs(reasons.get(0).<Double>getAs("contribution")))
          .isGreaterThanOrEqualTo(Math.abs(reasons.get(1).<Double>getAs("contribution")));
      for (Row r : reasons) {
        assertThat(r.<String>getAs("direction"))
            .isEqualTo(r.<Double>getAs("contribution") > 0 ? ReasonCodes.UP : ReasonCodes.DOWN);
      }
    }
  }

  @Test
  void topOrdersByMagnitudeBreaksTiesByIndexAndSkipsZeros() {
    String[] names = {"a", "b", "c", "d", "e"};

    assertThat(ReasonCodes.top(new double[] {1.0, -2.0, 2.0, 0.0, 0.5}, names, 3)).containsExactly(
        new Reason("b", "down", -2.0), new Reason("c", "up", 2.0), new Reason("a", "up", 1.0));
    assertThat(ReasonCodes.top(new double[] {0.0, 0.0, 3.0, 0.0, Double.NaN}, names, 3))
        .containsExactly(new Reason("c", "up", 3.0));
    assertThat(ReasonCodes.top(new double[5], names, 3)).isEmpty();
  }

  @Test
  void anAllZeroRowGetsAnEmptyArrayAndUnnamedSlotsAreNumbered(SparkSession spark) {
    StructType schema = new StructType().add(FEATURES, new VectorUDT()).add(TARGET, DataTypes.DoubleType);
    Random random = new Random(SEED);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      double x0 = random.nextGaussian();
      double x1 = random.nextGaussian();
      rows.add(RowFactory.create(Vectors.dense(x0, x1), 3 * x0 - x1 + 0.1 * random.nextGaussian()));
    }
    PipelineModel model = new Pipeline()
        .setStages(new PipelineStage[] {new LinearRegression().setLabelCol(TARGET)})
        .fit(spark.createDataFrame(rows, schema));
    Dataset<Row> probe = spark.createDataFrame(List.of(
        RowFactory.create(Vectors.dense(0.0, 0.0), 0.0),
        RowFactory.create(Vectors.sparse(2, new int[] {1}, new double[] {2.0}), 0.0)), schema);

    List<Row> explained = ReasonCodes.explain(model, probe, 3, REASONS).collectAsList();

    assertThat(explained.get(0).getList(explained.get(0).fieldIndex(REASONS))).isEmpty();
    List<Row> sparse = explained.get(1).getList(explained.get(1).fieldIndex(REASONS));
    assertThat(sparse).hasSize(1);
    assertThat(sparse.get(0).<String>getAs("feature")).isEqualTo("f1");
    assertThat(sparse.get(0).<String>getAs("direction")).isEqualTo(ReasonCodes.DOWN);
    assertThat(ReasonCodes.explain(model, probe, 3, REASONS).schema().apply(REASONS).dataType())
        .isEqualTo(ReasonCodes.REASONS_TYPE);
  }

  @Test
  void unsupportedModelsAndBadArgumentsFailWithAClearMessage(SparkSession spark) {
    Dataset<Row> data = numericData(spark, 60);
    PipelineModel svm = scaledPipeline(new LinearSVC().setMaxIter(5).setLabelCol(LABEL)).fit(data);
    Dataset<Row> transformed = svm.transform(data);

    assertThatThrownBy(() -> ReasonCodes.explain(svm, transformed, 3, REASONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("org.apache.spark.ml.classification.LinearSVCModel")
        .hasMessageContaining("supported final stages are");
    assertThatThrownBy(() -> ReasonCodes.contributions(finalStage(svm), Vectors.dense(1, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LinearSVCModel");

    PipelineModel lr = scaledPipeline(new LogisticRegression().setLabelCol(LABEL)).fit(data);
    assertThatThrownBy(() -> ReasonCodes.explain(lr, data, 3, REASONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("features column 'features' is missing");
    assertThatThrownBy(() -> ReasonCodes.explain(lr, lr.transform(data), 0, REASONS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topN must be at least 1 (got 0)");
    assertThatThrownBy(() -> ReasonCodes.contributions(finalStage(lr), Vectors.dense(1, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects 3 features");
  }

  /**
   * Three standard-normal features: the binary label depends only on "a" (plus noise), the regression
   * target on "a" and "b"; "c" is pure noise.
   */
  private static Dataset<Row> numericData(SparkSession spark, int n) {
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("c", DataTypes.DoubleType).add(LABEL, DataTypes.DoubleType).add(TARGET, DataTypes.DoubleType);
    Random random = new Random(SEED);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      double c = random.nextGaussian();
      double label = a + 0.3 * random.nextGaussian() > 0 ? 1.0 : 0.0;
      rows.add(RowFactory.create(a, b, c, label, 2 * a - b + 0.2 * random.nextGaussian()));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** Assembler, then StandardScaler(withMean=true), then the model: the shape of our training pipelines. */
  private static Pipeline scaledPipeline(PipelineStage estimator) {
    VectorAssembler assembler = new VectorAssembler().setInputCols(NUMERIC).setOutputCol(RAW);
    StandardScaler scaler = new StandardScaler().setWithMean(true).setWithStd(true)
        .setInputCol(assembler.getOutputCol()).setOutputCol(FEATURES);
    return new Pipeline().setStages(new PipelineStage[] {assembler, scaler, estimator});
  }

  private static Model<?> finalStage(PipelineModel model) {
    Transformer[] stages = model.stages();
    return (Model<?>) stages[stages.length - 1];
  }
}

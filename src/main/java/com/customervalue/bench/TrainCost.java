package com.customervalue.bench;

import com.customervalue.config.AppConfig;
import com.customervalue.config.TrainSettings;
import com.customervalue.train.Candidate;
import com.customervalue.train.ModelFamily;
import com.customervalue.train.Pipelines;
import com.customervalue.train.TargetTrainer;
import com.customervalue.train.TrainColumns;
import com.customervalue.train.TrainJob;
import com.customervalue.train.TrainingTable;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.sql.SparkSession;

/**
 * Goal 4 of the benchmark: what the train stage's cross-validation costs against single fits of the same
 * pipeline. Works on the first classification target of the training table, with the rows, folds and class
 * weights the train job itself prepares. For one model family it offers a single fit on every training row
 * (the grid's first point) and the product's cross-validation (folds x grid fits plus the refit of the best,
 * at the configured parallelism), each with or without early stopping where the family has it.
 */
final class TrainCost implements AutoCloseable {
  /** What one fit or cross-validation gave: fits made, trees of the final model, its out-of-time ROC-AUC. */
  record Outcome(int fits, int trees, double outOfTimeRocAuc) {
    String note(String model, boolean earlyStopping) {
      return String.format(Locale.ROOT, "model=%s early_stopping=%s fits=%d trees=%d oot_roc_auc=%.4f", model,
          earlyStopping ? "on" : "off", fits, trees, outOfTimeRocAuc);
    }
  }

  private final TrainSettings plain;
  private final TrainSettings stopping;
  private final TrainJob.TargetData data;

  private TrainCost(TrainSettings plain, TrainSettings stopping, TrainJob.TargetData data) {
    this.plain = plain;
    this.stopping = stopping;
    this.data = data;
  }

  /**
   * Prepares the training rows of the first classification target as {@code train} would, with the
   * early-stopping split column present (the configured fraction, or 0.1 when the config has it off).
   *
   * @param app the configuration as loaded
   * @param withEarlyStopping the same configuration with early stopping on
   */
  static TrainCost prepare(SparkSession spark, AppConfig app, AppConfig withEarlyStopping) {
    TrainingTable table = TrainingTable.load(spark, withEarlyStopping);
    String target = table.targets().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new IllegalStateException("--stages train-cost: the training table has no"
            + " classification target (targets: " + table.targets().keySet() + ")"));
    TrainJob.TargetData data = TrainJob.split(table, target, true, withEarlyStopping);
    return new TrainCost(app.train(), withEarlyStopping.train(), data);
  }

  String target() {
    return data.target();
  }

  long trainingRows() {
    return data.train().count();
  }

  /** Whether {@code family}'s estimator can stop early (MLlib's validationIndicatorCol). */
  boolean stopsEarly(ModelFamily family) {
    return Pipelines.build(candidate(family), data.columns(), plain).estimator().hasParam("validationIndicatorCol");
  }

  /** One fit of the pipeline on every training row, at the grid's first point. */
  Outcome singleFit(ModelFamily family, boolean earlyStopping) {
    TrainSettings settings = earlyStopping ? stopping : plain;
    Pipelines.Built built = Pipelines.build(candidate(family), data.columns(), settings);
    PipelineModel model = built.pipeline().fit(data.train(), grid(family, built, settings)[0]);
    return new Outcome(1, TargetTrainer.trees(model), outOfTime(model));
  }

  /** The train job's cross-validation of the pipeline over the whole grid, and the refit of the best point. */
  Outcome crossValidation(ModelFamily family, boolean earlyStopping) {
    TrainSettings settings = earlyStopping ? stopping : plain;
    Pipelines.Built built = Pipelines.build(candidate(family), data.columns(), settings);
    ParamMap[] grid = grid(family, built, settings);
    CrossValidator cv = new CrossValidator().setEstimator(built.pipeline()).setEstimatorParamMaps(grid)
        .setEvaluator(TargetTrainer.tuningEvaluator(settings, true)).setFoldCol(TrainColumns.FOLD)
        .setNumFolds(settings.folds()).setSeed(settings.seed()).setParallelism(settings.parallelism())
        .setCollectSubModels(true);
    PipelineModel best = (PipelineModel) cv.fit(data.train()).bestModel();
    return new Outcome(settings.folds() * grid.length + 1, TargetTrainer.trees(best), outOfTime(best));
  }

  private Candidate candidate(ModelFamily family) {
    boolean text = plain.text().enabled() && !data.columns().text().isEmpty();
    return new Candidate(family, plain.imbalance(), text, java.util.List.of(), "");
  }

  private static ParamMap[] grid(ModelFamily family, Pipelines.Built built, TrainSettings settings) {
    return ModelFamily.paramMaps(built.estimator(), settings.grids().getOrDefault(family.gridName(), Map.of()));
  }

  private double outOfTime(PipelineModel model) {
    if (data.test() == null) {
      return Double.NaN;
    }
    return new BinaryClassificationEvaluator().setLabelCol(TrainColumns.LABEL).setRawPredictionCol("rawPrediction")
        .evaluate(model.transform(data.test()));
  }

  @Override
  public void close() {
    data.release();
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.col;

import com.customervalue.config.TrainSettings;
import com.customervalue.job.RunContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fits and evaluates every candidate of one target and picks the best. */
public final class TargetTrainer {
  private static final Logger log = LoggerFactory.getLogger(TargetTrainer.class);

  private final SparkSession spark;
  private final TrainSettings settings;
  private final TrainJob.TargetData data;
  private final RunContext context;

  TargetTrainer(SparkSession spark, TrainSettings settings, TrainJob.TargetData data, RunContext context) {
    this.spark = spark;
    this.settings = settings;
    this.data = data;
    this.context = context;
  }

  TargetResult train() {
    List<Candidate> candidates = candidates();
    List<CandidateResult> results = new ArrayList<>();
    List<FeatureSelection.Step> selectionSteps = List.of();
    if (data.classification() && settings.featureSelection().enabled()) {
      FeatureSelection.Result selection = FeatureSelection.run(this, data.columns(), settings);
      selectionSteps = selection.steps();
      candidates.add(new Candidate(ModelFamily.LOGISTIC, settings.imbalance(), settings.text().enabled(),
          selection.kept(), "selected"));
    }
    // Variants are compared at the params cross-validation chose for their family's main candidate:
    // what differs is then only the variant, and each costs folds + 1 fits instead of a whole grid.
    java.util.Map<ModelFamily, java.util.Map<String, Object>> chosen = new java.util.EnumMap<>(ModelFamily.class);
    for (Candidate candidate : candidates) {
      java.util.Map<String, Object> fixed = candidate.variant().isEmpty() ? null : chosen.get(candidate.family());
      CandidateResult result = fit(candidate, data.columns().restrictTo(candidate.columns()), fixed);
      if (candidate.variant().isEmpty()) {
        chosen.put(candidate.family(), result.chosenParams());
      }
      results.add(result);
    }
    CandidateResult best = null;
    String metric = data.classification() ? settings.selectionMetric() : settings.regressionSelectionMetric();
    boolean larger = List.of("roc_auc", "pr_auc", "r2").contains(metric);
    for (CandidateResult r : results) {
      double v = r.cvMetric(metric);
      if (Double.isNaN(v)) {
        continue;
      }
      if (best == null || (larger ? v > best.cvMetric(metric) : v < best.cvMetric(metric))) {
        best = r;
      }
    }
    if (best == null) {
      best = results.get(0);
    }
    log.info("train: {}: chose {} by cross-validated {} = {}", data.target(), best.candidate().name(), metric,
        String.format(Locale.ROOT, "%.4f", best.cvMetric(metric)));
    return new TargetResult(spark, data, results, best, metric, selectionSteps, settings);
  }

  private List<Candidate> candidates() {
    List<Candidate> list = new ArrayList<>();
    boolean text = settings.text().enabled() && !data.columns().text().isEmpty();
    if (data.classification()) {
      for (String name : settings.classifiers()) {
        ModelFamily family = ModelFamily.of(name, true);
        list.add(new Candidate(family, settings.imbalance(), text, List.of(), ""));
        if (!settings.compareModels().contains(name)) {
          continue;
        }
        for (String variant : settings.compareVariants()) {
          if (variant.equals("no_text")) {
            if (text) {
              list.add(new Candidate(family, settings.imbalance(), false, List.of(), "no_text"));
            }
          } else if (!variant.equals(settings.imbalance())) {
            list.add(new Candidate(family, variant, text, List.of(), variant));
          }
        }
      }
    } else {
      for (String name : settings.regressors()) {
        list.add(new Candidate(ModelFamily.of(name, false), "none", text, List.of(), ""));
      }
    }
    return list;
  }

  /** Cross-validates one candidate, evaluates it out of fold and out of time. */
  CandidateResult fit(Candidate candidate, FeatureColumns columns, java.util.Map<String, Object> fixedParams) {
    long started = System.nanoTime();
    Pipelines.Built built = Pipelines.build(candidate, columns, settings);
    ParamMap[] grid = fixedParams != null ? new ParamMap[] {paramMap(built, fixedParams)}
        : ModelFamily.paramMaps(built.estimator(),
            settings.grids().getOrDefault(candidate.family().gridName(), java.util.Map.of()));
    log.info("train: {}: {}: cross-validating {} param set{} x {} folds on {} feature columns", data.target(),
        candidate.name(), grid.length, grid.length == 1 ? "" : "s", settings.folds(), columns.all().size());
    CrossValidator cv = new CrossValidator().setEstimator(built.pipeline()).setEstimatorParamMaps(grid)
        .setEvaluator(tuningEvaluator()).setFoldCol(TrainColumns.FOLD).setNumFolds(settings.folds())
        .setSeed(settings.seed()).setParallelism(settings.parallelism()).setCollectSubModels(true);
    CrossValidatorModel fitted = cv.fit(data.train());
    double[] avg = fitted.avgMetrics();
    int bestIndex = 0;
    for (int i = 1; i < avg.length; i++) {
      if (fitted.getEvaluator().isLargerBetter() ? avg[i] > avg[bestIndex] : avg[i] < avg[bestIndex]) {
        bestIndex = i;
      }
    }
    Dataset<Row> oof = null;
    Model<?>[][] subModels = fitted.subModels();
    for (int fold = 0; fold < subModels.length; fold++) {
      Dataset<Row> part = ((PipelineModel) subModels[fold][bestIndex])
          .transform(data.train().where(col(TrainColumns.FOLD).equalTo(fold)));
      oof = oof == null ? part : oof.unionByName(part);
    }
    PipelineModel model = (PipelineModel) fitted.bestModel();
    double seconds = (System.nanoTime() - started) / 1e9;
    String params = describe(grid[bestIndex]);
    java.util.Map<String, Object> chosenParams = new java.util.TreeMap<>();
    for (ParamPair<?> pair : grid[bestIndex].toList()) {
      chosenParams.put(pair.param().name(), pair.value());
    }
    CandidateResult result;
    if (data.classification()) {
      Dataset<Row> scored = withProbability(oof).cache();
      boolean calibrate = Calibration.applies(settings.calibration(), candidate.family());
      // Kept when a calibrator will read them too: the pipeline then runs over the test rows once.
      Dataset<Row> test = data.test() == null ? null : model.transform(data.test());
      if (calibrate && test != null) {
        test = test.cache();
      }
      Evaluated raw = evaluate(scored, test);
      if (calibrate) {
        result = calibrated(candidate, model, params, scored, test, raw);
        seconds = (System.nanoTime() - started) / 1e9;
        result = result.withSeconds(seconds);
      } else {
        result = CandidateResult.classification(candidate, model, params, raw.threshold(), raw.cv(), raw.test(),
            seconds);
      }
      scored.unpersist();
      if (test != null) {
        test.unpersist();
      }
    } else {
      RegressionMetrics.Report cvReport = RegressionMetrics.evaluate(oof.withColumn("_value",
          org.apache.spark.sql.functions.expm1(col(TrainColumns.LABEL))), "_value", TrainColumns.PREDICTED_VALUE);
      RegressionMetrics.Report testReport = null;
      if (data.test() != null) {
        testReport = RegressionMetrics.evaluate(model.transform(data.test()).withColumn("_value",
            org.apache.spark.sql.functions.expm1(col(TrainColumns.LABEL))), "_value", TrainColumns.PREDICTED_VALUE);
      }
      result = CandidateResult.regression(candidate, model, params, cvReport, testReport, seconds);
    }
    Dataset<Row> sample = model.transform(data.train().limit(1));
    result = result.withImportance(FeatureImportance.of(model, sample.schema())).withChosenParams(chosenParams);
    int trees = trees(model);
    log.info("train: {}: {}: {} in {}{}", data.target(), candidate.name(), result.summary(),
        String.format(Locale.ROOT, "%.1f s", seconds), trees > 0 ? " (" + trees + " trees in the final fit)" : "");
    return result;
  }

  /** Figures of one model: the threshold set on the out-of-fold rows, out-of-fold and out-of-time reports. */
  private record Evaluated(double threshold, ClassificationMetrics.Report cv, ClassificationMetrics.Report test) {}

  /**
   * Evaluates out-of-fold predictions (with {@link TrainColumns#P_POSITIVE}) and the model's
   * predictions of the out-of-time rows ({@code testPredictions}, null without a held-out snapshot).
   */
  private Evaluated evaluate(Dataset<Row> outOfFold, Dataset<Row> testPredictions) {
    double threshold = ClassificationMetrics.chooseThreshold(outOfFold, TrainColumns.LABEL, TrainColumns.P_POSITIVE,
        settings.thresholdRule());
    ClassificationMetrics.Report cv = ClassificationMetrics.evaluate(outOfFold, TrainColumns.LABEL,
        TrainColumns.P_POSITIVE, threshold);
    return new Evaluated(threshold, cv, testReport(testPredictions, threshold));
  }

  /** The out-of-time report of a model's predictions of the test rows; null without a held-out snapshot. */
  private static ClassificationMetrics.Report testReport(Dataset<Row> testPredictions, double threshold) {
    return testPredictions == null ? null : ClassificationMetrics.evaluate(withProbability(testPredictions),
        TrainColumns.LABEL, TrainColumns.P_POSITIVE, threshold);
  }

  /**
   * Calibrates a classifier on its out-of-fold predictions: the saved model carries the calibrator
   * fitted on all of them; its cross-validated figures come from calibrators fitted on the other
   * folds, and the figures before calibration are kept beside them.
   */
  private CandidateResult calibrated(Candidate candidate, PipelineModel model, String params, Dataset<Row> outOfFold,
      Dataset<Row> testPredictions, Evaluated raw) {
    long started = System.nanoTime();
    TrainSettings.Calibration calibration = settings.calibration();
    CandidateResult uncalibrated = CandidateResult.classification(candidate, model, params, raw.threshold(), raw.cv(),
        raw.test(), 0);
    PipelineModel calibrator;
    Dataset<Row> crossFitted;
    try (var stage = com.customervalue.spark.StageDescription.of(spark, "train: " + data.target() + ": "
        + candidate.name() + ": " + calibration.method() + " calibration")) {
      calibrator = Calibration.fit(outOfFold, calibration);
      java.util.Optional<Dataset<Row>> folds = Calibration.increasing(calibrator)
          ? Calibration.crossFitted(outOfFold, settings.folds(), calibration) : java.util.Optional.empty();
      if (folds.isEmpty()) {
        log.warn("train: {}: {}: {} calibration left out: on the out-of-fold rows the scores rank no better than"
            + " chance (cv roc_auc {}), so a calibration curve would reverse them; the model keeps its own"
            + " probabilities", data.target(), candidate.name(), calibration.method(), f4(raw.cv().rocAuc()));
        return uncalibrated;
      }
      crossFitted = withProbability(folds.get()).cache();
    }
    // Out of fold first: the out-of-time rows are scored only for a calibrator that is kept.
    Evaluated crossValidated = evaluate(crossFitted, null);
    crossFitted.unpersist();
    if (!(crossValidated.cv().logLoss() < raw.cv().logLoss())) {
      // Judged on cross-validation only, so the out-of-time snapshot still takes part in no choice.
      log.warn("train: {}: {}: {} calibration did not lower the cross-validated log loss ({} -> {}); the model keeps"
          + " its own probabilities{}", data.target(), candidate.name(), calibration.method(),
          f4(raw.cv().logLoss()), f4(crossValidated.cv().logLoss()),
          calibration.method().equals(Calibration.ISOTONIC) ? " (isotonic overfits small data: try platt)" : "");
      return uncalibrated;
    }
    Evaluated after = new Evaluated(crossValidated.threshold(), crossValidated.cv(), testReport(
        testPredictions == null ? null : calibrator.transform(testPredictions), crossValidated.threshold()));
    PipelineModel wrapped = Calibration.wrap(model, calibrator);
    log.info("train: {}: {}: {} calibration: cv log_loss {} -> {}, brier {} -> {}{} ({} s)", data.target(),
        candidate.name(), calibration.method(), f4(raw.cv().logLoss()), f4(after.cv().logLoss()),
        f4(raw.cv().brier()), f4(after.cv().brier()), after.test() == null ? "" : "; out of time log_loss "
            + f4(raw.test().logLoss()) + " -> " + f4(after.test().logLoss()) + ", brier " + f4(raw.test().brier())
            + " -> " + f4(after.test().brier()), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    return CandidateResult.classification(candidate, wrapped, params, after.threshold(), after.cv(), after.test(), 0)
        .withUncalibrated(calibration.method(), raw.cv(), raw.test());
  }

  /**
   * Trees of the tree ensemble in a fitted pipeline (0 for other models): with early stopping, fewer than
   * the grid's maxIter.
   */
  public static int trees(PipelineModel model) {
    for (org.apache.spark.ml.Transformer stage : model.stages()) {
      if (stage instanceof PipelineModel inner) {
        int n = trees(inner);
        if (n > 0) {
          return n;
        }
      } else if (stage instanceof org.apache.spark.ml.classification.GBTClassificationModel m) {
        return m.getNumTrees();
      } else if (stage instanceof org.apache.spark.ml.regression.GBTRegressionModel m) {
        return m.getNumTrees();
      } else if (stage instanceof org.apache.spark.ml.classification.RandomForestClassificationModel m) {
        return m.getNumTrees();
      }
    }
    return 0;
  }

  private static String f4(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static ParamMap paramMap(Pipelines.Built built, java.util.Map<String, Object> values) {
    ParamMap map = new ParamMap();
    values.forEach((name, value) -> map.put(built.estimator().getParam(name), value));
    return map;
  }

  /** The cross-validated tuning metric of one candidate with fixed params, for feature selection. */
  double crossValidatedMetric(Candidate candidate, FeatureColumns columns, ParamMap params) {
    Pipelines.Built built = Pipelines.build(candidate, columns, settings);
    java.util.Map<String, Object> byName = new java.util.TreeMap<>();
    for (ParamPair<?> pair : params.toList()) {
      byName.put(pair.param().name(), pair.value());
    }
    ParamMap mapped = paramMap(built, byName);
    CrossValidator cv = new CrossValidator().setEstimator(built.pipeline())
        .setEstimatorParamMaps(new ParamMap[] {mapped}).setEvaluator(tuningEvaluator())
        .setFoldCol(TrainColumns.FOLD).setNumFolds(settings.folds()).setSeed(settings.seed())
        .setParallelism(settings.parallelism());
    return cv.fit(data.train()).avgMetrics()[0];
  }

  TrainJob.TargetData data() {
    return data;
  }

  String runId() {
    return context.runId();
  }

  /** The evaluator CrossValidator tunes with: the selection metric where MLlib has it. */
  Evaluator tuningEvaluator() {
    return tuningEvaluator(settings, data.classification());
  }

  /** The evaluator cross-validation tunes with for a classification or regression target. */
  public static Evaluator tuningEvaluator(TrainSettings settings, boolean classification) {
    if (!classification) {
      return new RegressionEvaluator().setLabelCol(TrainColumns.LABEL).setMetricName(settings.regressionSelectionMetric());
    }
    return switch (settings.selectionMetric()) {
      case "roc_auc" -> new BinaryClassificationEvaluator().setLabelCol(TrainColumns.LABEL).setMetricName("areaUnderROC");
      case "pr_auc" -> new BinaryClassificationEvaluator().setLabelCol(TrainColumns.LABEL).setMetricName("areaUnderPR");
      // MLlib has no Brier evaluator; log loss ranks probabilistic models the same way in practice.
      default -> new MulticlassClassificationEvaluator().setLabelCol(TrainColumns.LABEL).setMetricName("logLoss");
    };
  }

  /**
   * Adds {@link TrainColumns#P_POSITIVE}: the calibrated probability of class 1 where the model is
   * calibrated, else the class-1 entry of MLlib's probability vector.
   */
  static Dataset<Row> withProbability(Dataset<Row> predictions) {
    if (List.of(predictions.columns()).contains(TrainColumns.CALIBRATED)) {
      return predictions.withColumn(TrainColumns.P_POSITIVE, col(TrainColumns.CALIBRATED));
    }
    return predictions.withColumn(TrainColumns.P_POSITIVE,
        org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1));
  }

  private static String describe(ParamMap params) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (ParamPair<?> pair : params.toList()) {
      sorted.put(pair.param().name(), String.valueOf(pair.value()));
    }
    return sorted.toString();
  }
}

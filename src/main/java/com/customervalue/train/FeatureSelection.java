package com.customervalue.train;

import com.customervalue.config.TrainSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.classification.LogisticRegression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * L1 logistic regression with recursive feature elimination, as the license study kept its model
 * explainable: fit an L1 model on the current columns, score it by cross-validation, drop the
 * {@code step} columns with the smallest standardised coefficients (a categorical or text column
 * counts by its strongest slot), and repeat until {@code top-k} columns remain.
 */
final class FeatureSelection {
  private static final Logger log = LoggerFactory.getLogger(FeatureSelection.class);

  private FeatureSelection() {}

  /**
   * One elimination step.
   *
   * @param features columns the step's model used
   * @param metric the cross-validated metric's name
   * @param value its value
   * @param rows training rows
   */
  record Step(int features, String metric, double value, long rows) {}

  /** The steps and the columns left at the end. */
  record Result(List<Step> steps, List<String> kept) {}

  static Result run(TargetTrainer trainer, FeatureColumns columns, TrainSettings settings) {
    TrainSettings.FeatureSelection fs = settings.featureSelection();
    List<String> current = new ArrayList<>(columns.all());
    long rows = trainer.data().train().count();
    String metric = metricName(trainer);
    double regParam = settings.grids().getOrDefault(ModelFamily.LOGISTIC.gridName(), Map.of())
        .getOrDefault("regParam", List.of(0.01)).stream().mapToDouble(v -> ((Number) v).doubleValue()).min()
        .orElse(0.01);
    List<Step> steps = new ArrayList<>();
    while (true) {
      Candidate candidate = new Candidate(ModelFamily.LOGISTIC, settings.imbalance(), settings.text().enabled(),
          current, "rfe");
      FeatureColumns restricted = columns.restrictTo(current);
      Pipelines.Built built = Pipelines.build(candidate, restricted, settings);
      LogisticRegression lr = (LogisticRegression) built.estimator();
      ParamMap l1 = new ParamMap().put(lr.elasticNetParam().w(1.0)).put(lr.regParam().w(regParam));
      double value = trainer.crossValidatedMetric(candidate, restricted, l1);
      steps.add(new Step(current.size(), metric, value, rows));
      log.info("train: {}: feature selection: {} columns, cross-validated {} {}", trainer.data().target(),
          current.size(), metric, String.format(Locale.ROOT, "%.4f", value));
      if (current.size() <= fs.topK()) {
        break;
      }
      PipelineModel model = built.pipeline().fit(trainer.data().train(), l1);
      Map<String, Double> strength = new HashMap<>();
      current.forEach(c -> strength.put(c, 0.0));
      List<FeatureImportance.Slot> slots = FeatureImportance.of(model, model.transform(trainer.data().train().limit(1))
          .schema());
      for (FeatureImportance.Slot s : slots) {
        strength.merge(s.column(), s.importance(), Math::max);
      }
      int drop = Math.min(fs.step(), current.size() - fs.topK());
      List<String> weakest = current.stream()
          .sorted(Comparator.comparingDouble((String c) -> strength.getOrDefault(c, 0.0)).thenComparing(c -> c))
          .limit(drop).toList();
      current.removeAll(weakest);
    }
    log.info("train: {}: feature selection kept {}", trainer.data().target(), current);
    return new Result(steps, List.copyOf(current));
  }

  private static String metricName(TargetTrainer trainer) {
    var evaluator = trainer.tuningEvaluator();
    String name = evaluator.getParam("metricName") == null ? "metric"
        : String.valueOf(evaluator.getOrDefault(evaluator.getParam("metricName")));
    return switch (name) {
      case "logLoss" -> "cv_log_loss";
      case "areaUnderROC" -> "cv_roc_auc";
      case "areaUnderPR" -> "cv_pr_auc";
      default -> "cv_" + name;
    };
  }
}

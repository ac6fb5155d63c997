package com.customervalue.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;

/**
 * A fitted candidate: the model refitted on every training row with the params cross-validation
 * chose, and its cross-validated and out-of-time figures (one of the report pairs is null: the
 * classification pair for regression and the other way round).
 *
 * @param threshold decision threshold set on the out-of-fold predictions (NaN for regression)
 * @param cv out-of-fold classification figures
 * @param test out-of-time classification figures, null without a held-out snapshot
 * @param cvRegression out-of-fold regression figures
 * @param testRegression out-of-time regression figures
 * @param seconds wall time of the cross-validation and the final fit
 * @param importance slots by importance, most important first
 * @param chosenParams the grid params cross-validation chose, by MLlib param name
 * @param calibration the calibration method inside {@code model}, or {@code none}
 * @param uncalibratedCv out-of-fold figures before calibration, null when not calibrated
 * @param uncalibratedTest out-of-time figures before calibration, null when not calibrated or not held out
 */
record CandidateResult(Candidate candidate, PipelineModel model, String params, double threshold,
    ClassificationMetrics.Report cv, ClassificationMetrics.Report test, RegressionMetrics.Report cvRegression,
    RegressionMetrics.Report testRegression, double seconds, List<FeatureImportance.Slot> importance,
    Map<String, Object> chosenParams, String calibration, ClassificationMetrics.Report uncalibratedCv,
    ClassificationMetrics.Report uncalibratedTest) {

  static CandidateResult classification(Candidate candidate, PipelineModel model, String params, double threshold,
      ClassificationMetrics.Report cv, ClassificationMetrics.Report test, double seconds) {
    return new CandidateResult(candidate, model, params, threshold, cv, test, null, null, seconds, List.of(), Map.of(),
        Calibration.NONE, null, null);
  }

  static CandidateResult regression(Candidate candidate, PipelineModel model, String params,
      RegressionMetrics.Report cv, RegressionMetrics.Report test, double seconds) {
    return new CandidateResult(candidate, model, params, Double.NaN, null, null, cv, test, seconds, List.of(), Map.of(),
        Calibration.NONE, null, null);
  }

  CandidateResult withImportance(List<FeatureImportance.Slot> slots) {
    return new CandidateResult(candidate, model, params, threshold, cv, test, cvRegression, testRegression, seconds,
        List.copyOf(slots), chosenParams, calibration, uncalibratedCv, uncalibratedTest);
  }

  CandidateResult withChosenParams(Map<String, Object> chosen) {
    return new CandidateResult(candidate, model, params, threshold, cv, test, cvRegression, testRegression, seconds,
        importance, Map.copyOf(chosen), calibration, uncalibratedCv, uncalibratedTest);
  }

  CandidateResult withSeconds(double s) {
    return new CandidateResult(candidate, model, params, threshold, cv, test, cvRegression, testRegression, s,
        importance, chosenParams, calibration, uncalibratedCv, uncalibratedTest);
  }

  /** The result of a calibrated model, with the figures its classifier had before calibration. */
  CandidateResult withUncalibrated(String method, ClassificationMetrics.Report cvBefore,
      ClassificationMetrics.Report testBefore) {
    return new CandidateResult(candidate, model, params, threshold, cv, test, cvRegression, testRegression, seconds,
        importance, chosenParams, method, cvBefore, testBefore);
  }

  boolean isCalibrated() {
    return uncalibratedCv != null;
  }

  boolean isClassification() {
    return cv != null;
  }

  /** The cross-validated value of a selection metric. */
  double cvMetric(String metric) {
    Map<String, Double> m = isClassification() ? scalars(cv) : scalars(cvRegression);
    return m.getOrDefault(metric, Double.NaN);
  }

  /** Every scalar metric of a classification report, by its model_metrics name. */
  static Map<String, Double> scalars(ClassificationMetrics.Report r) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("roc_auc", r.rocAuc());
    m.put("pr_auc", r.prAuc());
    m.put("log_loss", r.logLoss());
    m.put("brier", r.brier());
    m.put("threshold", r.threshold());
    m.put("accuracy", r.accuracy());
    m.put("precision", r.precision());
    m.put("recall", r.recall());
    m.put("f1", r.f1());
    m.put("lift_top_decile", r.liftTopDecile());
    m.put("positive_rate", r.positiveRate());
    return m;
  }

  /** Every scalar metric of a regression report, by its model_metrics name. */
  static Map<String, Double> scalars(RegressionMetrics.Report r) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rmse", r.rmse());
    m.put("mae", r.mae());
    m.put("r2", r.r2());
    m.put("mean_label", r.meanLabel());
    m.put("mean_prediction", r.meanPrediction());
    return m;
  }

  /** One line for the log. */
  String summary() {
    if (isClassification()) {
      String s = String.format(Locale.ROOT, "cv roc_auc %.4f log_loss %.4f", cv.rocAuc(), cv.logLoss());
      return test == null ? s : s + String.format(Locale.ROOT, "; out of time roc_auc %.4f log_loss %.4f",
          test.rocAuc(), test.logLoss());
    }
    String s = String.format(Locale.ROOT, "cv rmse %.2f r2 %.3f", cvRegression.rmse(), cvRegression.r2());
    return testRegression == null ? s : s + String.format(Locale.ROOT, "; out of time rmse %.2f r2 %.3f",
        testRegression.rmse(), testRegression.r2());
  }
}

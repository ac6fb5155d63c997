package com.customervalue.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table of model figures the train job prints at the end of a run. */
final class Report {
  private Report() {}

  static List<String> table(List<TargetResult> results) {
    List<String> lines = new ArrayList<>();
    for (TargetResult t : results) {
      boolean classification = t.best().isClassification();
      lines.add("");
      lines.add(String.format(Locale.ROOT, "Target %s: chose %s by cross-validated %s%s (fit_s: cross-validation"
          + " and the final fit of each model; rows: rows evaluated; raw: a calibrated model before calibration)",
          t.target(),
          t.best().candidate().name(), t.selectionMetric(),
          t.testDate() == null ? "" : "; out of time = as_of " + t.testDate()));
      if (classification) {
        lines.add(String.format(Locale.ROOT, "  %-26s %-7s %8s %8s %8s %8s %8s %8s %8s %8s %8s", "model", "eval",
            "rows", "roc_auc", "pr_auc", "log_loss", "brier", "thresh", "f1", "lift@10", "fit_s"));
        for (CandidateResult r : t.candidates()) {
          lines.add(classificationLine(r, "cv", r.cv(), r == t.best()));
          if (r.isCalibrated()) {
            lines.add(classificationLine(r, "cv raw", r.uncalibratedCv(), r == t.best()));
          }
          if (r.test() != null) {
            lines.add(classificationLine(r, "oot", r.test(), r == t.best()));
          }
          if (r.uncalibratedTest() != null) {
            lines.add(classificationLine(r, "oot raw", r.uncalibratedTest(), r == t.best()));
          }
        }
      } else {
        lines.add(String.format(Locale.ROOT, "  %-26s %-7s %8s %12s %12s %8s %8s", "model", "eval", "rows", "rmse",
            "mae", "r2", "fit_s"));
        for (CandidateResult r : t.candidates()) {
          lines.add(regressionLine(r, "cv", r.cvRegression(), r == t.best()));
          if (r.testRegression() != null) {
            lines.add(regressionLine(r, "oot", r.testRegression(), r == t.best()));
          }
        }
      }
    }
    return lines;
  }

  private static String classificationLine(CandidateResult r, String eval, ClassificationMetrics.Report m,
      boolean best) {
    return String.format(Locale.ROOT, "%s %-26s %-7s %8d %8.4f %8.4f %8.4f %8.4f %8.3f %8.3f %8.2f %8.1f",
        best ? "*" : " ", r.candidate().name(), eval, m.rows(), m.rocAuc(), m.prAuc(), m.logLoss(), m.brier(), m.threshold(), m.f1(),
        m.liftTopDecile(), r.seconds());
  }

  private static String regressionLine(CandidateResult r, String eval, RegressionMetrics.Report m, boolean best) {
    return String.format(Locale.ROOT, "%s %-26s %-7s %8d %12.2f %12.2f %8.3f %8.1f", best ? "*" : " ",
        r.candidate().name(), eval, m.rows(), m.rmse(), m.mae(), m.r2(), r.seconds());
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.TrainSettings;
import com.customervalue.identity.Keyed;
import com.customervalue.job.RunContext;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/** Everything the train job learnt about one target, turned into table rows and model metadata. */
final class TargetResult {
  private final SparkSession spark;
  private final TrainJob.TargetData data;
  private final List<CandidateResult> candidates;
  private final CandidateResult best;
  private final String metric;
  private final List<FeatureSelection.Step> selectionSteps;
  private final TrainSettings settings;

  TargetResult(SparkSession spark, TrainJob.TargetData data, List<CandidateResult> candidates, CandidateResult best,
      String metric, List<FeatureSelection.Step> selectionSteps, TrainSettings settings) {
    this.spark = spark;
    this.data = data;
    this.candidates = List.copyOf(candidates);
    this.best = best;
    this.metric = metric;
    this.selectionSteps = List.copyOf(selectionSteps);
    this.settings = settings;
  }

  String target() {
    return data.target();
  }

  CandidateResult best() {
    return best;
  }

  List<CandidateResult> candidates() {
    return candidates;
  }

  String selectionMetric() {
    return metric;
  }

  java.time.LocalDate testDate() {
    return data.testDate();
  }

  void release() {
    data.release();
  }

  Map<String, Object> metadata(RunContext context, TrainingTable table, String location) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", context.runId());
    m.put("trained_at", context.startedAt().toString());
    m.put("target", data.target());
    m.put("task", data.classification() ? "classification" : "regression (log1p target, predicted_value on the"
        + " original scale)");
    m.put("model", best.candidate().name());
    m.put("family", best.candidate().family().modelName());
    m.put("imbalance", best.candidate().imbalance());
    m.put("text_features", best.candidate().text());
    m.put("params", best.params());
    m.put("selection_metric", metric);
    if (data.classification()) {
      m.put("calibration", best.calibration());
      m.put("threshold", best.threshold());
      m.put("metrics_cross_validation", CandidateResult.scalars(best.cv()));
      if (best.test() != null) {
        m.put("metrics_out_of_time", CandidateResult.scalars(best.test()));
      }
    } else {
      m.put("metrics_cross_validation", CandidateResult.scalars(best.cvRegression()));
      if (best.testRegression() != null) {
        m.put("metrics_out_of_time", CandidateResult.scalars(best.testRegression()));
      }
    }
    FeatureColumns columns = data.columns().restrictTo(best.candidate().columns());
    m.put("features_numeric", columns.numeric());
    m.put("features_categorical", columns.categorical());
    m.put("features_text", best.candidate().text() ? columns.text() : List.of());
    m.put("training_snapshots", data.trainDates().stream().map(Object::toString).toList());
    m.put("out_of_time_snapshot", data.testDate() == null ? null : data.testDate().toString());
    if (data.sample().sampled()) {
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("max_training_rows", settings.maxTrainingRows());
      sample.put("available_rows", data.sample().availableRows());
      sample.put("account_fraction", data.sample().fraction());
      m.put("training_sample", sample);
    }
    m.put("folds", settings.folds());
    m.put("seed", settings.seed());
    m.put("inputs", table.inputs());
    m.put("location", location);
    return m;
  }

  List<Row> metricRows(RunContext context) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = context.startedAtTimestamp();
    Date testDate = data.testDate() == null ? null : Date.valueOf(data.testDate());
    for (CandidateResult r : candidates) {
      boolean selected = r == best;
      MetricRow base = new MetricRow(context.runId(), data.target(), r, selected, at);
      if (r.isClassification()) {
        add(rows, base, TrainTables.CROSS_VALIDATION, null, r.cv());
        if (r.test() != null) {
          add(rows, base, TrainTables.OUT_OF_TIME, testDate, r.test());
        }
        if (r.isCalibrated()) {
          add(rows, base, TrainTables.CROSS_VALIDATION_UNCALIBRATED, null, r.uncalibratedCv());
          if (r.uncalibratedTest() != null) {
            add(rows, base, TrainTables.OUT_OF_TIME_UNCALIBRATED, testDate, r.uncalibratedTest());
          }
        }
      } else {
        CandidateResult.scalars(r.cvRegression()).forEach((k, v) ->
            rows.add(base.row(TrainTables.CROSS_VALIDATION, null, k, null, null, v, r.cvRegression().rows())));
        if (r.testRegression() != null) {
          CandidateResult.scalars(r.testRegression()).forEach((k, v) ->
              rows.add(base.row(TrainTables.OUT_OF_TIME, testDate, k, null, null, v, r.testRegression().rows())));
        }
      }
      long trainRows = r.isClassification() ? r.cv().rows() : r.cvRegression().rows();
      rows.add(base.row(TrainTables.TRAINING, null, "fit_seconds", null, null, r.seconds(), trainRows));
      rows.add(base.row(TrainTables.TRAINING, null, "feature_slots", null, null, (double) r.importance().size(),
          trainRows));
    }
    CandidateResult selectedLogistic = candidates.stream()
        .filter(c -> c.candidate().variant().equals("selected")).findFirst().orElse(best);
    MetricRow selectionBase = new MetricRow(context.runId(), data.target(), selectedLogistic,
        selectedLogistic == best, at);
    for (FeatureSelection.Step step : selectionSteps) {
      rows.add(selectionBase.row(TrainTables.FEATURE_SELECTION, null, step.metric(), null, step.features(),
          step.value(), step.rows()));
    }
    return rows;
  }

  private static void add(List<Row> rows, MetricRow base, String evaluation, Date asOf,
      ClassificationMetrics.Report report) {
    CandidateResult.scalars(report).forEach((k, v) ->
        rows.add(base.row(evaluation, asOf, k, null, null, v, report.rows())));
    for (ClassificationMetrics.CalibrationBin bin : report.calibration()) {
      rows.add(base.row(evaluation, asOf, "calibration_mean_predicted", bin.decile(), null, bin.meanPredicted(),
          bin.rows()));
      rows.add(base.row(evaluation, asOf, "calibration_observed_rate", bin.decile(), null, bin.observedRate(),
          bin.rows()));
    }
  }

  /** The columns a candidate's model_metrics rows share. */
  private record MetricRow(String runId, String target, CandidateResult result, boolean selected, Timestamp at) {
    Row row(String evaluation, Date asOf, String metric, Integer decile, Integer step, double value, long rows) {
      Candidate c = result.candidate();
      return RowFactory.create(runId, target, c.name(), c.family().modelName(), c.imbalance(), c.text(), evaluation,
          asOf, metric, decile, step, Double.isNaN(value) ? null : value, rows, selected, result.params(), at);
    }
  }

  List<Row> importanceRows(RunContext context) {
    List<Row> rows = new ArrayList<>();
    for (CandidateResult r : candidates) {
      int rank = 0;
      for (FeatureImportance.Slot s : r.importance()) {
        rank++;
        boolean linear = !Double.isNaN(s.coefficient());
        boolean logistic = linear && r.isClassification();
        rows.add(RowFactory.create(context.runId(), data.target(), r.candidate().name(), s.feature(), s.column(), rank,
            s.importance(), linear ? s.stdCoefficient() : null, linear ? s.coefficient() : null,
            logistic ? s.oddsRatio() : null, logistic ? s.oddsRatioPerSd() : null, r == best));
      }
    }
    return rows;
  }

  /** The chosen model's out-of-time predictions with their top 3 reasons; empty without a held-out snapshot. */
  Dataset<Row> predictionRows(RunContext context) {
    if (data.test() == null) {
      return spark.createDataFrame(List.of(), TrainTables.PREDICTIONS);
    }
    Dataset<Row> scored = best.model().transform(data.test());
    Column score;
    Column predicted;
    Column label;
    if (data.classification()) {
      scored = TargetTrainer.withProbability(scored);
      score = col(TrainColumns.P_POSITIVE);
      predicted = when(score.geq(best.threshold()), 1).otherwise(0);
      label = col(TrainColumns.LABEL);
    } else {
      score = col(TrainColumns.PREDICTED_VALUE);
      predicted = lit(null).cast(DataTypes.IntegerType);
      label = org.apache.spark.sql.functions.expm1(col(TrainColumns.LABEL));
    }
    Dataset<Row> explained = ReasonCodes.explain(best.model(), scored, 3, "reasons");
    Column customer = List.of(explained.columns()).contains(Keyed.ACCOUNT_KEY_HASH)
        ? col(Keyed.ACCOUNT_KEY_HASH) : col(TrainColumns.ID);
    Column[] values = {lit(context.runId()), lit(data.target()), lit(best.candidate().name()),
        lit(TrainTables.OUT_OF_TIME), col(TrainColumns.AS_OF), customer, label, score, predicted, col("reasons")};
    org.apache.spark.sql.types.StructField[] fields = TrainTables.PREDICTIONS.fields();
    Column[] select = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      select[i] = values[i].cast(fields[i].dataType()).as(fields[i].name(), fields[i].metadata());
    }
    return explained.select(select);
  }
}

package com.customervalue.score;

import static org.apache.spark.sql.functions.col;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ScoreSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.CustomerFeaturesTable;
import com.customervalue.features.Snapshots;
import com.customervalue.job.RunContext;
import com.customervalue.spark.StageDescription;
import com.customervalue.train.SavedModel;
import com.customervalue.warehouse.DeltaTables;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift watch of a score run: compares the scored snapshot's features with the snapshots each
 * model was trained on ({@link FeatureDrift}), replaces the run's rows of {@code feature_drift} for
 * the score date, and logs a warning per feature above a threshold, so an operator knows when the
 * models need training again.
 */
final class DriftWatch {
  private static final Logger log = LoggerFactory.getLogger(DriftWatch.class);
  /** How the train job records the version it read: {@code <path>@v<version>}. */
  private static final Pattern VERSION = Pattern.compile("@v(\\d+)$");
  /** Drifted features named in a model's warning; the rest are counted. */
  private static final int SHOWN = 10;

  private DriftWatch() {}

  /**
   * What the watch found.
   *
   * @param rows feature_drift rows written
   * @param flagged features with status warn
   */
  record Outcome(long rows, long flagged) {}

  /** Compares, writes and logs the drift of every model in {@code models} on the scored rows. */
  static Outcome run(SparkSession spark, AppConfig config, RunContext context, Dataset<Row> scored,
      LocalDate scoreDate, List<SavedModel> models) {
    ScoreSettings.Drift settings = config.score().drift();
    List<Row> rows = new ArrayList<>();
    try (var stage = StageDescription.of(spark, "score: feature drift against the training snapshots")) {
      for (SavedModel model : models) {
        rows.addAll(forModel(spark, config, context, scored, scoreDate, model));
      }
    }
    // Replaced for the run and score date together: a re-run leaves one set of rows, and a run that
    // scores a second date keeps the first date's.
    try (var stage = StageDescription.of(spark, "score: write feature_drift")) {
      DeltaTables.replace(spark.createDataFrame(rows, FeatureDrift.SCHEMA),
          config.warehouse().tablePath(FeatureDrift.NAME), List.of(), FeatureDrift.RUN_ID, context.runId(),
          FeatureDrift.SCORE_DATE, scoreDate.toString());
    }
    long flagged = 0;
    for (SavedModel model : models) {
      List<Row> drifted = rows.stream().filter(r -> FeatureDrift.WARN.equals(r.getAs(FeatureDrift.STATUS))
          && model.target().equals(r.getAs(FeatureDrift.TARGET))).toList();
      flagged += drifted.size();
      if (!drifted.isEmpty()) {
        warn(model, drifted, settings, scoreDate);
      }
    }
    log.info("score: drift: {} of {} features above PSI {} or unseen share {} (models {}); written to {}", flagged,
        rows.size(), settings.psiWarn(), settings.unseenWarn(),
        models.stream().map(m -> m.target() + "=" + m.name() + "@" + m.runId()).toList(), FeatureDrift.NAME);
    return new Outcome(rows.size(), flagged);
  }

  /**
   * One warning per model, its drifted features worst first: a first run on old training snapshots
   * can flag dozens, and one line each would bury everything else the run says.
   */
  private static void warn(SavedModel model, List<Row> drifted, ScoreSettings.Drift settings, LocalDate scoreDate) {
    List<Row> worst = new ArrayList<>(drifted);
    worst.sort(java.util.Comparator.comparingDouble((Row r) -> -severity(r, settings)));
    List<String> shown = new ArrayList<>();
    for (Row r : worst.subList(0, Math.min(SHOWN, worst.size()))) {
      double psi = r.getAs(FeatureDrift.PSI);
      Double unseen = r.getAs(FeatureDrift.UNSEEN_SHARE);
      shown.add(r.getAs(FeatureDrift.FEATURE) + String.format(Locale.ROOT, " (PSI %.3f", psi)
          + (unseen != null && unseen > settings.unseenWarn()
              ? String.format(Locale.ROOT, ", %.1f%% unseen", 100 * unseen) : "") + ")");
    }
    List<?> snapshots = drifted.get(0).getList(drifted.get(0).fieldIndex(FeatureDrift.TRAINING_SNAPSHOTS));
    log.warn("score: drift: {} feature{} of the {} model {}@{} drifted on {} from its training snapshots {} (PSI above"
            + " {} or unseen share above {}): {}{}; its scores are less reliable, train the model again on recent"
            + " snapshots (every feature's figures are in {})", drifted.size(), drifted.size() == 1 ? "" : "s",
        model.target(), model.name(), model.runId(), scoreDate, snapshots, settings.psiWarn(), settings.unseenWarn(),
        String.join(", ", shown), drifted.size() > SHOWN ? " and " + (drifted.size() - SHOWN) + " more" : "",
        FeatureDrift.NAME);
  }

  /** How far past its thresholds a feature is, to order the warning's list. */
  private static double severity(Row r, ScoreSettings.Drift settings) {
    double psi = r.getAs(FeatureDrift.PSI);
    Double unseen = r.getAs(FeatureDrift.UNSEEN_SHARE);
    return Math.max(psi / settings.psiWarn(), unseen == null ? 0 : unseen / settings.unseenWarn());
  }

  /** The feature_drift rows of one model, collected: one per feature it reads. */
  private static List<Row> forModel(SparkSession spark, AppConfig config, RunContext context, Dataset<Row> scored,
      LocalDate scoreDate, SavedModel model) {
    String id = model.target() + " model " + model.name() + "@" + model.runId();
    List<LocalDate> snapshots = dates(model, "training_snapshots");
    if (snapshots.isEmpty()) {
      log.warn("score: drift: the {} records no training snapshots (trained on a prepared table?), so its features"
          + " are not compared", id);
      return List.of();
    }
    Dataset<Row> features = trainingVersion(spark, config.warehouse().tablePath(CustomerFeaturesTable.NAME), model,
        id, snapshots);
    Dataset<Row> training = features.where(col(Snapshots.AS_OF).isin(
        snapshots.stream().map(Date::valueOf).toArray()));
    List<String> present = List.of(training.columns());
    List<String> scoredColumns = List.of(scored.columns());
    List<String> numeric = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String key : List.of("features_numeric", "features_categorical")) {
      for (String feature : strings(model.metadata().get(key))) {
        if (!present.contains(feature) || !scoredColumns.contains(feature)) {
          missing.add(feature);
        } else {
          (key.equals("features_numeric") ? numeric : categorical).add(feature);
        }
      }
    }
    if (!missing.isEmpty()) {
      log.warn("score: drift: the {} reads columns that the training or the scored rows lack, left out of the"
          + " comparison: {}", id, missing);
    }
    if (numeric.isEmpty() && categorical.isEmpty()) {
      log.warn("score: drift: the {} has no numeric or categorical feature to compare", id);
      return List.of();
    }
    if (training.isEmpty()) {
      log.warn("score: drift: customer_features has no rows of the {} training snapshots {}, so its features are"
          + " not compared", id, snapshots);
      return List.of();
    }
    Dataset<Row> compared = FeatureDrift.compare(training, scored, numeric, categorical,
        config.score().drift().bins());
    FeatureDrift.Subject subject = new FeatureDrift.Subject(context.runId(), scoreDate, model.target(), model.name(),
        model.runId(), snapshots, context.startedAtTimestamp());
    return FeatureDrift.rows(compared, subject, config.score().drift().psiWarn(), config.score().drift().unseenWarn())
        .collectAsList();
  }

  /**
   * customer_features as the model saw it: at the Delta version its metadata records, so snapshots
   * rebuilt since then do not pass for the training rows; the current version when no version is
   * recorded or that version can no longer be read (its log entries expired).
   */
  private static Dataset<Row> trainingVersion(SparkSession spark, String path, SavedModel model, String id,
      List<LocalDate> snapshots) {
    Optional<Long> recorded = recordedVersion(model);
    if (recorded.isPresent()) {
      try {
        Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", recorded.get()).load(path);
        log.info("score: drift: the {}: training snapshots {} read at customer_features version {}, as the model's"
            + " metadata records", id, snapshots, recorded.get());
        return rows;
      } catch (Exception e) {
        // Exception: Delta's Scala code throws AnalysisException, checked in Java, without declaring it.
        if (!(e instanceof AnalysisException)) {
          throw e instanceof RuntimeException r ? r : new CustomerValueException("score: drift: cannot read "
              + path + " at version " + recorded.get() + ": " + e.getMessage(), e);
        }
        log.warn("score: drift: the {} was trained on customer_features version {}, which can no longer be read ({});"
            + " comparing with the current version's rows of its training snapshots {}", id, recorded.get(),
            e.getMessage(), snapshots);
      }
    } else {
      log.info("score: drift: the {}: its metadata records no customer_features version; training snapshots {} read"
          + " at the current version {}", id, snapshots, currentVersion(spark, path));
    }
    return spark.read().format("delta").load(path);
  }

  @SuppressWarnings("unchecked")
  private static Optional<Long> recordedVersion(SavedModel model) {
    if (!(model.metadata().get("inputs") instanceof Map<?, ?> inputs)) {
      return Optional.empty();
    }
    Object input = ((Map<String, Object>) inputs).get(CustomerFeaturesTable.NAME);
    Matcher m = input == null ? null : VERSION.matcher(input.toString());
    return m != null && m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  private static long currentVersion(SparkSession spark, String path) {
    return DeltaTables.currentVersion(spark, path);
  }

  private static List<LocalDate> dates(SavedModel model, String key) {
    List<LocalDate> dates = new ArrayList<>();
    for (String s : strings(model.metadata().get(key))) {
      try {
        dates.add(LocalDate.parse(s));
      } catch (DateTimeParseException e) {
        throw new CustomerValueException("score: the metadata of the " + model.target() + " model of train run "
            + model.runId() + " has '" + s + "' in " + key + ", which is not a date (yyyy-MM-dd)", e);
      }
    }
    return dates;
  }

  private static List<String> strings(Object value) {
    return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }
}

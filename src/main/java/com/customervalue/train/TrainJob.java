package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.customervalue.features.CustomerFeaturesTable;
import com.customervalue.config.AppConfig;
import com.customervalue.config.TrainSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.spark.StageDescription;
import com.customervalue.warehouse.DeltaTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train}: per target, fits every candidate pipeline with cross-validation over the
 * training snapshots (folds grouped by customer and stratified), scores the out-of-fold
 * predictions and the newest labelled snapshot held out in time, picks the best candidate by the
 * configured metric on the cross-validated figures, and saves it with its metadata. Writes
 * model_metrics, feature_importance and model_predictions.
 */
public final class TrainJob implements Job {
  public static final String NAME = "train";
  private static final Logger log = LoggerFactory.getLogger(TrainJob.class);
  /** Hash buckets of the early-stopping split: its fraction is honoured to 1/10,000. */
  private static final long EARLY_STOPPING_BUCKETS = 10_000;
  /** Hash buckets of the training-row sample (train.max-training-rows): its fraction is honoured to 1/2^30. */
  private static final long SAMPLE_BUCKETS = 1L << 30;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputTables(AppConfig config) {
    return List.of(CustomerFeaturesTable.NAME);
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    TrainSettings settings = config.train();
    TrainingTable table = TrainingTable.load(spark, config);
    List<TargetResult> results = new ArrayList<>();
    for (Map.Entry<String, Boolean> target : table.targets().entrySet()) {
      try (var stage = StageDescription.of(spark, "train: " + target.getKey())) {
        TargetData data = split(table, target.getKey(), target.getValue(), config);
        results.add(new TargetTrainer(spark, settings, data, context).train());
        data.release();
      }
    }
    Map<String, Long> written = new LinkedHashMap<>();
    List<Row> metricRows = new ArrayList<>();
    List<Row> importanceRows = new ArrayList<>();
    Dataset<Row> predictions = null;
    for (TargetResult r : results) {
      String location = ModelStore.location(config.warehouse().root(), r.target(), context.runId());
      ModelStore.save(spark, location, r.best().model(), r.metadata(context, table, location));
      log.info("train: {}: saved {} to {}", r.target(), r.best().candidate().name(), location);
      metricRows.addAll(r.metricRows(context));
      importanceRows.addAll(r.importanceRows(context));
      Dataset<Row> p = r.predictionRows(context);
      predictions = predictions == null ? p : predictions.unionByName(p);
    }
    var warehouse = config.warehouse();
    write(spark.createDataFrame(metricRows, TrainTables.METRICS), warehouse, TrainTables.MODEL_METRICS, context,
        written);
    write(spark.createDataFrame(importanceRows, TrainTables.IMPORTANCE), warehouse, TrainTables.FEATURE_IMPORTANCE,
        context, written);
    if (predictions != null) {
      write(predictions, warehouse, TrainTables.MODEL_PREDICTIONS, context, written);
    }
    results.forEach(TargetResult::release);
    return new JobResult(NAME, written, Report.table(results));
  }

  private static void write(Dataset<Row> rows, com.customervalue.config.WarehouseSettings warehouse, String table,
      RunContext context, Map<String, Long> written) {
    DeltaTables.replace(rows, warehouse.tablePath(table), List.of(), TrainTables.RUN_ID, context.runId());
    written.put(table, rows.count());
  }

  /**
   * The rows of one target: labelled rows only, training snapshots with folds and class weights,
   * and the out-of-time snapshot (null for a prepared table).
   */
  public static TargetData split(TrainingTable table, String target, boolean classification, AppConfig config) {
    TrainSettings settings = config.train();
    Column label = classification ? col(target).cast("double") : log1p(greatest(col(target).cast("double"), lit(0.0)));
    Dataset<Row> labelled = table.rows().where(col(target).isNotNull()).withColumn(TrainColumns.LABEL, label);
    Dataset<Row> train = labelled;
    Dataset<Row> test = null;
    LocalDate testDate = null;
    List<LocalDate> trainDates = List.of();
    if (table.snapshots()) {
      List<LocalDate> dates = labelled.select(TrainColumns.AS_OF).distinct().orderBy(TrainColumns.AS_OF)
          .collectAsList().stream().map(r -> r.getDate(0).toLocalDate()).toList();
      if (dates.size() < 2) {
        throw new CustomerValueException("train: target '" + target + "' has " + dates.size() + " labelled snapshot"
            + (dates.size() == 1 ? " (" + dates.get(0) + ")" : "s") + "; training needs at least two, the newest held"
            + " out in time. Add as_of dates (customer-value.snapshots) and run features again");
      }
      testDate = dates.get(dates.size() - 1);
      int horizon = config.snapshots().horizonDays();
      LocalDate cutoff = testDate;
      trainDates = dates.subList(0, dates.size() - 1).stream()
          .filter(d -> !settings.purgeOverlappingLabels() || !d.plusDays(horizon).isAfter(cutoff)).toList();
      if (trainDates.isEmpty()) {
        throw new CustomerValueException("train: target '" + target + "': every labelled snapshot before the test"
            + " snapshot " + testDate + " has a label window of " + horizon + " days that reaches past it; add earlier"
            + " as_of dates or set customer-value.train.purge-overlapping-labels = false");
      }
      List<Date> sqlDates = trainDates.stream().map(Date::valueOf).toList();
      train = labelled.where(col(TrainColumns.AS_OF).isin(sqlDates.toArray()));
      test = labelled.where(col(TrainColumns.AS_OF).equalTo(Date.valueOf(testDate)));
      log.info("train: {}: training snapshots {}, out-of-time snapshot {}{}", target, trainDates, testDate,
          dates.size() - 1 > trainDates.size() ? " (" + (dates.size() - 1 - trainDates.size())
              + " snapshots left out: their label window overlaps the test snapshot)" : "");
    }
    TrainingSample sample = TrainingSample.ALL;
    if (settings.maxTrainingRows() > 0) {
      long available = train.count();
      if (available > settings.maxTrainingRows()) {
        double fraction = (double) settings.maxTrainingRows() / available;
        // By account, not by row, so the folds still keep every snapshot of an account on one side; a
        // seed of its own, so which accounts are kept does not follow the folds or the early-stopping split.
        train = train.where(accountShare(settings.seed() + 2, fraction, SAMPLE_BUCKETS));
        sample = new TrainingSample(available, fraction);
        log.info("train: {}: {} training rows, more than customer-value.train.max-training-rows ({}): the models are"
            + " fitted on the rows of a {} hash sample of the accounts{}", target, available,
            settings.maxTrainingRows(), String.format(Locale.ROOT, "%.1f%%", 100 * fraction),
            test == null ? "" : "; the out-of-time snapshot is scored in full");
      }
    }
    if (classification) {
      LabelCheck.requireBothClasses(target, train, test, trainDates, testDate);
      Row counts = train.agg(count(lit(1)), org.apache.spark.sql.functions.sum(col(TrainColumns.LABEL)),
          min(col(TrainColumns.LABEL)), max(col(TrainColumns.LABEL))).first();
      long rows = counts.getLong(0);
      double positives = counts.isNullAt(1) ? 0 : counts.getDouble(1);
      if (rows > 0 && (counts.getDouble(2) < 0 || counts.getDouble(3) > 1)) {
        throw new CustomerValueException("train: target '" + target + "' is not a 0/1 label (values from "
            + counts.getDouble(2) + " to " + counts.getDouble(3) + ")");
      }
      long minority = (long) Math.min(positives, rows - positives);
      if (minority < settings.folds()) {
        throw new CustomerValueException(String.format(Locale.ROOT, "train: target '%s' cannot be modelled: its %d"
            + " training rows hold %d with label 1 and %d with label 0; a model needs at least %d of each class (one"
            + " per cross-validation fold). Drop it from customer-value.train.targets or add snapshots", target,
            rows, (long) positives, rows - (long) positives, settings.folds()));
      }
      double positiveWeight = rows / (2.0 * positives);
      double negativeWeight = rows / (2.0 * (rows - positives));
      train = train.withColumn(TrainColumns.WEIGHT,
          when(col(TrainColumns.LABEL).equalTo(1.0), positiveWeight).otherwise(negativeWeight));
    } else {
      train = train.withColumn(TrainColumns.WEIGHT, lit(1.0));
    }
    train = Folds.assign(train, TrainColumns.ID, classification ? TrainColumns.LABEL : null, settings.folds(),
        settings.seed());
    if (settings.earlyStopping().enabled()) {
      // A seeded hash of the account, not of the row: an account's snapshots would otherwise sit on both
      // sides and make the held-out loss look better than it is.
      train = train.withColumn(TrainColumns.EARLY_STOPPING, accountShare(settings.seed() + 1,
          settings.earlyStopping().validationFraction(), EARLY_STOPPING_BUCKETS));
    }
    train = materialize(train);
    FeatureColumns usable = usableColumns(train, table.columns(), target);
    return new TargetData(target, classification, train, test == null ? null : materialize(test), trainDates,
        testDate, usable, sample);
  }

  /** True for a seeded hash share {@code fraction} of the accounts, honoured to 1/{@code buckets}. */
  private static Column accountShare(long seed, double fraction, long buckets) {
    return pmod(xxhash64(col(TrainColumns.ID), lit(seed)), lit(buckets)).lt(lit(Math.round(fraction * buckets)));
  }

  /**
   * Computes the rows once and cuts their lineage. Cross-validation runs hundreds of small Spark jobs
   * over them (an optimiser iteration or a tree level each); with the full lineage of
   * customer_features every one of them shipped a task of over 1 MB, which made fitting several
   * times slower. A reliable checkpoint is used when the session has a checkpoint directory
   * (spark.checkpoint.dir, e.g. on a cluster that may lose executors), a local one otherwise.
   */
  private static Dataset<Row> materialize(Dataset<Row> rows) {
    boolean reliable = rows.sparkSession().sparkContext().getCheckpointDir().isDefined();
    return reliable ? rows.checkpoint(true) : rows.localCheckpoint(true);
  }

  /** Leaves out numeric columns that are empty or constant in the training rows: they cannot inform a model. */
  private static FeatureColumns usableColumns(Dataset<Row> train, FeatureColumns columns, String target) {
    if (columns.numeric().isEmpty()) {
      return columns;
    }
    // min and max, not countDistinct: a distinct count per column makes Spark expand every row once
    // per column, and the generated code for 80 columns is too large to compile.
    List<Column> aggs = new ArrayList<>();
    for (String c : columns.numeric()) {
      aggs.add(min(col(c).cast("double")));
      aggs.add(max(col(c).cast("double")));
    }
    Row range = train.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    List<String> numeric = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < columns.numeric().size(); i++) {
      boolean varies = !range.isNullAt(2 * i) && range.getDouble(2 * i) != range.getDouble(2 * i + 1);
      (varies ? numeric : dropped).add(columns.numeric().get(i));
    }
    if (!dropped.isEmpty()) {
      log.info("train: {}: {} numeric columns are empty or constant in the training rows and are left out: {}", target,
          dropped.size(), dropped);
    }
    return new FeatureColumns(numeric, columns.categorical(), columns.text());
  }

  /**
   * One target's data.
   *
   * @param train training rows with label, weight and fold, cached
   * @param test the out-of-time snapshot's rows, cached; null for a prepared table
   * @param sample whether {@code train} is a sample of the training rows
   */
  public record TargetData(String target, boolean classification, Dataset<Row> train, Dataset<Row> test,
      List<LocalDate> trainDates, LocalDate testDate, FeatureColumns columns, TrainingSample sample) {
    /** Drops the cached rows. */
    public void release() {
      train.unpersist(false);
      if (test != null) {
        test.unpersist(false);
      }
    }
  }

  /**
   * The training rows a target's models were fitted on, against those available.
   *
   * @param availableRows the labelled rows of the training snapshots, before sampling
   * @param fraction the share of the accounts kept (1 when every row is used)
   */
  public record TrainingSample(long availableRows, double fraction) {
    static final TrainingSample ALL = new TrainingSample(-1, 1.0);

    /** Whether the models saw only a sample of the training rows. */
    public boolean sampled() {
      return fraction < 1.0;
    }
  }
}

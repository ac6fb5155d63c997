package com.customervalue.train;

import static com.customervalue.warehouse.Tables.field;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Delta tables the train job writes, with their declared schemas and column comments. */
public final class TrainTables {
  public static final String MODEL_METRICS = "model_metrics";
  public static final String FEATURE_IMPORTANCE = "feature_importance";
  public static final String MODEL_PREDICTIONS = "model_predictions";

  public static final String RUN_ID = "run_id";
  public static final String TARGET = "target";
  public static final String MODEL = "model";

  /** Evaluation on the out-of-fold predictions of cross-validation over the training snapshots. */
  public static final String CROSS_VALIDATION = "cross_validation";
  /** Evaluation on the newest labelled snapshot, held out in time. */
  public static final String OUT_OF_TIME = "out_of_time";
  /** Out-of-fold figures of a calibrated model's classifier before calibration. */
  public static final String CROSS_VALIDATION_UNCALIBRATED = "cross_validation_uncalibrated";
  /** Out-of-time figures of a calibrated model's classifier before calibration. */
  public static final String OUT_OF_TIME_UNCALIBRATED = "out_of_time_uncalibrated";
  /** One step of L1 + recursive feature elimination, scored by cross-validation. */
  public static final String FEATURE_SELECTION = "feature_selection";
  /** Facts about a fit: seconds, rows, features. */
  public static final String TRAINING = "training";

  /** Reason codes: the top features pushing a score up or down, largest first. */
  public static final org.apache.spark.sql.types.DataType REASONS = DataTypes.createArrayType(new StructType()
      .add("feature", DataTypes.StringType).add("direction", DataTypes.StringType)
      .add("contribution", DataTypes.DoubleType));

  /** model_metrics: one row per run, target, model, evaluation, metric (and decile or step). */
  public static final StructType METRICS = new StructType(new StructField[] {
      field(RUN_ID, DataTypes.StringType, "train run that fitted the model"),
      field(TARGET, DataTypes.StringType, "label column the model predicts"),
      field(MODEL, DataTypes.StringType, "candidate: model family and variant, e.g. logistic/smote"),
      field("family", DataTypes.StringType, "MLlib estimator family: logistic, gbt, random_forest, linear"),
      field("imbalance", DataTypes.StringType, "class-imbalance method: class_weight, smote or none"),
      field("text_features", DataTypes.BooleanType, "whether the TF-IDF text features were in the pipeline"),
      field("evaluation", DataTypes.StringType,
          "cross_validation (out-of-fold, training snapshots), out_of_time (newest labelled snapshot),"
              + " their _uncalibrated twins (a calibrated model before calibration), feature_selection or training"),
      field("as_of", DataTypes.DateType, "snapshot evaluated out of time; null for cross-validation"),
      field("metric", DataTypes.StringType, "metric name, e.g. roc_auc, log_loss, calibration_observed_rate"),
      field("decile", DataTypes.IntegerType, "predicted-probability decile (1 lowest) for calibration rows"),
      field("step", DataTypes.IntegerType, "feature-selection step (number of features kept)"),
      field("value", DataTypes.DoubleType, "the metric's value"),
      field("rows", DataTypes.LongType, "rows evaluated"),
      field("selected", DataTypes.BooleanType, "whether this model was chosen for the target"),
      field("params", DataTypes.StringType, "the hyper-parameters cross-validation chose"),
      field("trained_at", DataTypes.TimestampType, "when the train run started")});

  /** feature_importance: one row per run, target, model and feature vector slot. */
  public static final StructType IMPORTANCE = new StructType(new StructField[] {
      field(RUN_ID, DataTypes.StringType, "train run that fitted the model"),
      field(TARGET, DataTypes.StringType, "label column the model predicts"),
      field(MODEL, DataTypes.StringType, "candidate: model family and variant"),
      field("feature", DataTypes.StringType, "feature vector slot, e.g. industry__onehot_retail"),
      field("feature_column", DataTypes.StringType, "customer_features column the slot comes from"),
      field("rank", DataTypes.IntegerType, "1 = most important slot of the model"),
      field("importance", DataTypes.DoubleType,
          "trees: MLlib featureImportances; logistic/linear: absolute standardised coefficient"),
      field("std_coefficient", DataTypes.DoubleType, "linear models: coefficient per standard deviation"),
      field("coefficient", DataTypes.DoubleType, "linear models: coefficient per unit of the model's input: for a"
          + " category, being in it; for a number, one unit of sign(x) * ln(1 + |x|)"),
      field("odds_ratio", DataTypes.DoubleType,
          "logistic: exp(coefficient); for a category, how many times the odds are for accounts in it versus not"),
      field("odds_ratio_per_sd", DataTypes.DoubleType, "logistic: odds multiplier per standard deviation"),
      field("selected", DataTypes.BooleanType, "whether this model was chosen for the target")});

  /** model_predictions: the chosen model's predictions on its evaluation rows, with reasons. */
  public static final StructType PREDICTIONS = new StructType(new StructField[] {
      field(RUN_ID, DataTypes.StringType, "train run"),
      field(TARGET, DataTypes.StringType, "label column predicted"),
      field(MODEL, DataTypes.StringType, "the chosen candidate"),
      field("evaluation", DataTypes.StringType, "out_of_time or cross_validation (out-of-fold)"),
      field("as_of", DataTypes.DateType, "snapshot date (null for a prepared table)"),
      field("customer", DataTypes.StringType, "account_key_hash (HMAC), or the prepared table's id"),
      field("label", DataTypes.DoubleType, "the observed label (the value itself for regression)"),
      field("score", DataTypes.DoubleType, "probability of class 1, or the predicted value"),
      field("predicted_class", DataTypes.IntegerType, "1 when score >= the chosen threshold (classification)"),
      field("reasons", REASONS, "top features pushing this score up or down")});

  private TrainTables() {}
}

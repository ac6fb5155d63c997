package com.customervalue.config;

import java.util.List;
import java.util.Map;

/**
 * Settings of the {@code train} job.
 *
 * @param targets label columns to model; classification targets are 0/1, {@code revenue_next} is regression
 * @param classifiers model families fitted for each classification target
 * @param regressors model families fitted for each regression target
 * @param folds cross-validation folds
 * @param parallelism models MLlib's CrossValidator fits at once
 * @param maxTrainingRows most training rows a target's models are fitted on: with more, they are fitted on
 *     the rows of a seeded hash sample of the accounts; 0 fits on every row
 * @param seed seed of the folds, the forests, SMOTE and every random split
 * @param selectionMetric metric that picks the best classifier per target
 * @param regressionSelectionMetric metric that picks the best regressor per target
 * @param thresholdRule how the decision threshold is set on out-of-fold predictions
 * @param purgeOverlappingLabels leave out training snapshots whose label window reaches past the test as_of
 * @param imbalance class-imbalance method of every candidate
 * @param compareVariants extra variants fitted for comparison ("smote", "class_weight", "none", "no_text")
 * @param compareModels the classifier families the extra variants are fitted for
 * @param smote SMOTE settings
 * @param text TF-IDF settings of the text column
 * @param imputation how missing numeric values are filled
 * @param excludeFeatures feature columns never given to a model
 * @param featureSelection L1 + recursive feature elimination settings
 * @param calibration probability calibration of the classifiers
 * @param earlyStopping early stopping of the gradient-boosted trees on a validation split
 * @param grids model family -> MLlib param name -> values tried by cross-validation
 * @param prepared an already-prepared labelled table to train on instead of customer_features
 */
public record TrainSettings(
    List<String> targets,
    List<String> classifiers,
    List<String> regressors,
    int folds,
    int parallelism,
    int maxTrainingRows,
    long seed,
    String selectionMetric,
    String regressionSelectionMetric,
    String thresholdRule,
    boolean purgeOverlappingLabels,
    String imbalance,
    List<String> compareVariants,
    List<String> compareModels,
    Smote smote,
    Text text,
    Imputation imputation,
    List<String> excludeFeatures,
    FeatureSelection featureSelection,
    Calibration calibration,
    EarlyStopping earlyStopping,
    Map<String, Map<String, List<Object>>> grids,
    Prepared prepared) {

  public static final List<String> CLASSIFIERS = List.of("logistic", "gbt", "random_forest");
  public static final List<String> REGRESSORS = List.of("gbt", "linear");
  public static final List<String> IMBALANCE = List.of("class_weight", "smote", "none");
  public static final List<String> CLASSIFICATION_METRICS = List.of("log_loss", "roc_auc", "pr_auc", "brier");
  public static final List<String> REGRESSION_METRICS = List.of("rmse", "mae", "r2");

  public TrainSettings {
    targets = List.copyOf(targets);
    classifiers = List.copyOf(classifiers);
    regressors = List.copyOf(regressors);
    compareVariants = List.copyOf(compareVariants);
    compareModels = List.copyOf(compareModels);
    excludeFeatures = List.copyOf(excludeFeatures);
    grids = Map.copyOf(grids);
  }

  /** SMOTE: synthetic minority rows between each minority row and one of its nearest minority neighbours. */
  public record Smote(int neighbours, double targetRatio, double bucketLength, int hashTables) {}

  /** The text column through Tokenizer, StopWordsRemover, HashingTF and IDF. */
  public record Text(boolean enabled, List<String> columns, int numFeatures, int minDocFreq) {
    public Text {
      columns = List.copyOf(columns);
    }
  }

  /** Missing values: {@code strategy} of MLlib's Imputer, plus columns filled by a linear regression. */
  public record Imputation(String strategy, List<String> regressionColumns) {
    public Imputation {
      regressionColumns = List.copyOf(regressionColumns);
    }
  }

  /** L1 logistic regression ranks features; the weakest {@code step} are dropped until {@code topK} remain. */
  public record FeatureSelection(boolean enabled, int topK, int step) {}

  /**
   * Probability calibration, fitted on the out-of-fold predictions and saved inside the model.
   *
   * @param method isotonic, platt or none
   * @param models the classifier families calibrated (logistic, gbt, random_forest)
   * @param clip calibrated probabilities are kept inside [clip, 1 - clip]
   */
  public record Calibration(String method, List<String> models, double clip) {
    public Calibration {
      models = List.copyOf(models);
    }
  }

  /**
   * Early stopping of the gradient-boosted trees (MLlib's validationIndicatorCol): a share of the training
   * accounts is kept out of each fit, and boosting stops once a tree no longer lowers their loss by
   * {@code tolerance} (relative), so {@code maxIter} becomes a ceiling.
   *
   * @param validationFraction share of the training accounts held out for it; 0 turns early stopping off
   * @param tolerance MLlib's validationTol
   */
  public record EarlyStopping(double validationFraction, double tolerance) {
    /** Whether the gradient-boosted trees stop early. */
    public boolean enabled() {
      return validationFraction > 0;
    }
  }

  /**
   * A labelled customer table prepared elsewhere: one row per customer, one snapshot.
   *
   * @param path file or folder; empty = train on customer_features
   * @param format csv, json or parquet
   * @param options Spark reader options
   * @param idColumn the customer id column (kept out of the features; folds group by it)
   * @param labelColumn the label column
   * @param positiveLabel the label value that means 1 (compared as text)
   * @param numericColumns columns cast to double; values that do not parse become missing and are imputed
   * @param excludeColumns columns never used as features
   */
  public record Prepared(String path, SourceFormat format, Map<String, String> options, String idColumn,
      String labelColumn, String positiveLabel, List<String> numericColumns, List<String> excludeColumns) {
    public Prepared {
      options = Map.copyOf(options);
      numericColumns = List.copyOf(numericColumns);
      excludeColumns = List.copyOf(excludeColumns);
    }

    public boolean isSet() {
      return path != null && !path.isBlank();
    }
  }
}

package com.customervalue.train;

/** Columns the train job adds to its input and the names its pipelines' stages write. */
public final class TrainColumns {
  /** The target as a double (log1p of revenue for regression targets). */
  public static final String LABEL = "label";
  /** Class weight, for estimators that take a weightCol. */
  public static final String WEIGHT = "weight";
  /** Cross-validation fold, 0 .. folds - 1; every row of an account in the same one. */
  public static final String FOLD = "fold";
  /**
   * True for the rows the gradient-boosted trees hold out of a fit to stop early (MLlib's
   * validationIndicatorCol); every row of an account on the same side. Present only when early stopping is on.
   */
  public static final String EARLY_STOPPING = "early_stopping_validation";
  /** The assembled feature vector before scaling. */
  public static final String RAW_FEATURES = "raw_features";
  /** The vector the estimator reads: standardised for linear models, raw for trees. */
  public static final String FEATURES = "features";
  /** Regression output on the original scale (expm1 of the log-scale prediction). */
  public static final String PREDICTED_VALUE = "predicted_value";
  /** Probability of class 1, taken out of MLlib's probability vector. */
  public static final String P_POSITIVE = "p_positive";
  /** Calibrated probability of class 1, written by a calibrated model's last stage (see {@link Calibration}). */
  public static final String CALIBRATED = "calibrated_probability";
  /** Id column of the training rows: account_key, or the prepared table's id column. */
  public static final String ID = "_id";
  /** Snapshot date of the training rows (the prepared table has one, null). */
  public static final String AS_OF = "as_of";

  static final String IMPUTED = "__imputed";
  static final String LOG = "__log";
  static final String INDEXED = "__index";
  static final String ONE_HOT = "__onehot";
  static final String TFIDF = "__tfidf";

  private TrainColumns() {}

  /** The column a stage writes for an input column: e.g. {@code industry__onehot}. */
  static String derived(String column, String suffix) {
    return column + suffix;
  }

  /**
   * A slot name as people read it: {@code recency_days} for a numeric column, {@code industry=retail}
   * for a one-hot category, {@code ticket_text#17} for a hashed term.
   */
  public static String readable(String slotName) {
    int at = slotName.indexOf(ONE_HOT + "_");
    if (at > 0) {
      return slotName.substring(0, at) + "=" + slotName.substring(at + ONE_HOT.length() + 1);
    }
    at = slotName.indexOf(TFIDF + "_");
    if (at > 0) {
      return slotName.substring(0, at) + "#" + slotName.substring(at + TFIDF.length() + 1);
    }
    return sourceColumn(slotName);
  }

  /** The feature column a vector slot name comes from: strips the stage suffixes MLlib attribute names carry. */
  public static String sourceColumn(String slotName) {
    for (String suffix : new String[] {IMPUTED, ONE_HOT, TFIDF, "=", "#"}) {
      int at = slotName.indexOf(suffix);
      if (at > 0) {
        return slotName.substring(0, at);
      }
    }
    return slotName;
  }
}

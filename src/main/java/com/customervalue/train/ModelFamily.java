package com.customervalue.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.ParamGridBuilder;

/**
 * The MLlib estimators the train job fits, by the name their grid has in config
 * ({@code customer-value.train.grid.<name>}).
 */
public enum ModelFamily {
  LOGISTIC("logistic", true, true, LogisticRegression::new),
  GBT("gbt", true, false, GBTClassifier::new),
  RANDOM_FOREST("random_forest", true, false, RandomForestClassifier::new),
  GBT_REGRESSOR("gbt_regressor", false, false, GBTRegressor::new),
  LINEAR_REGRESSOR("linear_regressor", false, true, LinearRegression::new);

  private final String gridName;
  private final boolean classifier;
  private final boolean linear;
  private final Supplier<Predictor<?, ?, ?>> factory;

  ModelFamily(String gridName, boolean classifier, boolean linear, Supplier<Predictor<?, ?, ?>> factory) {
    this.gridName = gridName;
    this.classifier = classifier;
    this.linear = linear;
    this.factory = factory;
  }

  /** The key of this family under {@code train.grid}. */
  public String gridName() {
    return gridName;
  }

  /** The name used in model_metrics and in {@code train.classifiers} / {@code train.regressors}. */
  public String modelName() {
    return classifier ? gridName : gridName.replace("_regressor", "");
  }

  public boolean isClassifier() {
    return classifier;
  }

  /** Linear models get standardised features; trees get them as they are. */
  public boolean isLinear() {
    return linear;
  }

  /** A new estimator with MLlib's defaults. */
  public Predictor<?, ?, ?> newEstimator() {
    return factory.get();
  }

  /** The family named {@code name} in {@code train.classifiers} or {@code train.regressors}. */
  public static ModelFamily of(String name, boolean classifier) {
    for (ModelFamily f : values()) {
      if (f.classifier == classifier && f.modelName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown " + (classifier ? "classifier" : "regressor") + " '" + name + "'");
  }

  /** The family whose grid is named {@code gridName}, or null. */
  public static ModelFamily byGridName(String gridName) {
    for (ModelFamily f : values()) {
      if (f.gridName.equals(gridName)) {
        return f;
      }
    }
    return null;
  }

  /**
   * Problems with a configured grid: params the estimator does not have and values it rejects.
   * Checked when the config is loaded, before Spark starts.
   */
  public List<String> check(Map<String, List<Object>> grid) {
    Predictor<?, ?, ?> estimator = newEstimator();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
      if (!estimator.hasParam(e.getKey())) {
        problems.add("'" + e.getKey() + "' is not a param of " + estimator.getClass().getSimpleName());
        continue;
      }
      if (e.getValue().isEmpty()) {
        problems.add("'" + e.getKey() + "' has no values");
      }
      Param<Object> param = param(estimator, e.getKey());
      for (Object raw : e.getValue()) {
        try {
          Object value = convert(param, raw);
          if (!Boolean.TRUE.equals(param.isValid().apply(value))) {
            problems.add("'" + e.getKey() + "' = " + raw + " is out of range (" + param.doc() + ")");
          }
        } catch (IllegalArgumentException ex) {
          problems.add("'" + e.getKey() + "' = " + raw + ": " + ex.getMessage());
        }
      }
    }
    return problems;
  }

  /** Every combination of the grid's values, as param maps of {@code estimator}. */
  public static ParamMap[] paramMaps(Predictor<?, ?, ?> estimator, Map<String, List<Object>> grid) {
    ParamGridBuilder builder = new ParamGridBuilder();
    for (Map.Entry<String, List<Object>> e : new java.util.TreeMap<>(grid).entrySet()) {
      Param<Object> param = param(estimator, e.getKey());
      List<Object> values = new ArrayList<>();
      for (Object raw : e.getValue()) {
        values.add(convert(param, raw));
      }
      builder.addGrid(param, scala.jdk.javaapi.CollectionConverters.asScala(values));
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static Param<Object> param(Predictor<?, ?, ?> estimator, String name) {
    return (Param<Object>) estimator.getParam(name);
  }

  private static Object convert(Param<Object> param, Object raw) {
    Object p = param;
    if (p instanceof IntParam || p instanceof LongParam || p instanceof DoubleParam) {
      if (!(raw instanceof Number n)) {
        throw new IllegalArgumentException("expected a number");
      }
      if (p instanceof DoubleParam) {
        return n.doubleValue();
      }
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new IllegalArgumentException("expected a whole number");
      }
      return p instanceof IntParam ? (Object) n.intValue() : (Object) n.longValue();
    }
    if (p instanceof BooleanParam) {
      if (!(raw instanceof Boolean)) {
        throw new IllegalArgumentException("expected true or false");
      }
      return raw;
    }
    if (raw instanceof String || raw instanceof Number) {
      // Text params (featureSubsetStrategy, lossType, ...): MLlib compares them lower-cased.
      return String.valueOf(raw).toLowerCase(Locale.ROOT);
    }
    throw new IllegalArgumentException("expected a number or text");
  }
}

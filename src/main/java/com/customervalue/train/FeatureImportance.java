package com.customervalue.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.types.StructType;

/** Importance of every feature vector slot of a fitted pipeline, for the feature_importance table. */
public final class FeatureImportance {
  private FeatureImportance() {}

  /**
   * One slot's importance.
   *
   * @param feature the slot name from the assembler's metadata
   * @param column the input column it comes from
   * @param importance tree importance, or |standardised coefficient| for linear models
   * @param stdCoefficient linear models: coefficient per standard deviation, else NaN
   * @param coefficient linear models: coefficient per unit, else NaN
   */
  public record Slot(String feature, String column, double importance, double stdCoefficient, double coefficient) {
    /** exp(coefficient): the odds multiplier per unit of a logistic model. */
    public double oddsRatio() {
      return Math.exp(coefficient);
    }

    public double oddsRatioPerSd() {
      return Math.exp(stdCoefficient);
    }
  }

  /** Slot names of the assembled vector, in order ({@code f<i>} where MLlib left no name). */
  public static List<String> slotNames(StructType transformed, int size) {
    List<String> names = new ArrayList<>();
    AttributeGroup group = AttributeGroup.fromStructField(transformed.apply(TrainColumns.RAW_FEATURES));
    Attribute[] attributes = group.attributes().isDefined() ? group.attributes().get() : new Attribute[0];
    for (int i = 0; i < size; i++) {
      String name = i < attributes.length && attributes[i].name().isDefined() ? attributes[i].name().get() : "f" + i;
      names.add(TrainColumns.readable(name));
    }
    return names;
  }

  /**
   * Every slot with its importance, most important first.
   *
   * @param model a fitted pipeline built by {@link Pipelines}
   * @param transformed the schema of a DataFrame the model transformed (it carries the slot names)
   */
  public static List<Slot> of(PipelineModel model, StructType transformed) {
    Transformer estimator = estimatorStage(model);
    List<Slot> slots = new ArrayList<>();
    Vector importances = treeImportances(estimator);
    if (importances != null) {
      List<String> names = slotNames(transformed, importances.size());
      for (int i = 0; i < importances.size(); i++) {
        slots.add(new Slot(names.get(i), TrainColumns.sourceColumn(names.get(i)), importances.apply(i), Double.NaN,
            Double.NaN));
      }
    } else {
      Vector coefficients;
      if (estimator instanceof LogisticRegressionModel lr) {
        coefficients = lr.coefficients();
      } else if (estimator instanceof LinearRegressionModel linear) {
        coefficients = linear.coefficients();
      } else {
        throw new IllegalArgumentException("no importance for " + estimator.getClass().getSimpleName());
      }
      Vector std = scaler(model).std();
      List<String> names = slotNames(transformed, coefficients.size());
      for (int i = 0; i < coefficients.size(); i++) {
        double perSd = coefficients.apply(i);
        double perUnit = std.apply(i) > 0 ? perSd / std.apply(i) : 0.0;
        slots.add(new Slot(names.get(i), TrainColumns.sourceColumn(names.get(i)), Math.abs(perSd), perSd, perUnit));
      }
    }
    slots.sort(Comparator.comparingDouble(Slot::importance).reversed().thenComparing(Slot::feature));
    return slots;
  }

  private static Vector treeImportances(Transformer model) {
    if (model instanceof GBTClassificationModel m) {
      return m.featureImportances();
    } else if (model instanceof RandomForestClassificationModel m) {
      return m.featureImportances();
    } else if (model instanceof GBTRegressionModel m) {
      return m.featureImportances();
    } else if (model instanceof RandomForestRegressionModel m) {
      return m.featureImportances();
    }
    return null;
  }

  /** The estimator's fitted model: the last stage, or the one before the regressors' back-transform. */
  static Transformer estimatorStage(PipelineModel model) {
    Transformer[] stages = Calibration.classifier(model).stages();
    for (int i = stages.length - 1; i >= 0; i--) {
      if (stages[i] instanceof org.apache.spark.ml.PredictionModel<?, ?>) {
        return stages[i];
      }
    }
    throw new IllegalArgumentException("the pipeline has no prediction model");
  }

  private static StandardScalerModel scaler(PipelineModel model) {
    for (Transformer stage : Calibration.classifier(model).stages()) {
      if (stage instanceof StandardScalerModel scaler) {
        return scaler;
      }
    }
    throw new IllegalArgumentException("a linear model's pipeline has no StandardScaler");
  }
}

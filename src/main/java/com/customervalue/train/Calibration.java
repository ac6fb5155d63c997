package com.customervalue.train;

import static org.apache.spark.sql.functions.col;

import com.customervalue.config.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Probability calibration of a fitted classifier, learnt on its out-of-fold predictions and kept
 * inside the persisted model.
 *
 * <p>The calibrated model is a {@code PipelineModel} whose first stage is the classifier's own
 * pipeline and whose further stages map its probability of class 1 to a calibrated one in
 * {@link TrainColumns#CALIBRATED}: MLlib's {@code IsotonicRegression} on the probability
 * (isotonic), or a binomial {@code GeneralizedLinearRegression} on the model's raw score (Platt
 * scaling: GBT's margin, a forest's class-1 votes), then a clip away from 0 and 1 so one surprise
 * cannot cost an infinite log loss. Only built-in MLlib stages, so the model saves and loads with
 * MLlib alone and scoring needs nothing else.
 */
public final class Calibration {
  public static final String ISOTONIC = "isotonic";
  public static final String PLATT = "platt";
  public static final String NONE = "none";
  public static final List<String> METHODS = List.of(ISOTONIC, PLATT, NONE);

  private static final String INPUT = "_calibrator_input";
  private static final String FITTED = "_calibrator_p";
  private static final String CLIP_MARKER = " AS " + TrainColumns.CALIBRATED + " FROM __THIS__";
  /**
   * Ridge of the Platt fit. Unpenalised, MLlib's least-squares solver warns on every iteration that
   * the fit "might cause numerical instability and overfitting" (24 warnings for one GBT on the
   * sample); a fit of two parameters on thousands of rows is neither. With this ridge the sample's
   * calibrated log loss and Brier score are the same to four decimals.
   */
  static final double PLATT_RIDGE = 1e-6;

  private Calibration() {}

  /** Whether {@code settings} calibrate models of {@code family}. */
  static boolean applies(TrainSettings.Calibration settings, ModelFamily family) {
    return !settings.method().equals(NONE) && settings.models().contains(family.gridName());
  }

  /**
   * Fits the calibrator on {@code scored}: rows with the label and the classifier's
   * {@code probability} and {@code rawPrediction} vectors, e.g. out-of-fold predictions.
   */
  static PipelineModel fit(Dataset<Row> scored, TrainSettings.Calibration settings) {
    List<PipelineStage> stages = new ArrayList<>();
    if (settings.method().equals(ISOTONIC)) {
      stages.add(new IsotonicRegression().setFeaturesCol("probability").setFeatureIndex(1)
          .setLabelCol(TrainColumns.LABEL).setPredictionCol(FITTED));
    } else if (settings.method().equals(PLATT)) {
      stages.add(new VectorSlicer().setInputCol("rawPrediction").setIndices(new int[] {1}).setOutputCol(INPUT));
      stages.add(new GeneralizedLinearRegression().setFamily("binomial").setLink("logit").setFeaturesCol(INPUT)
          .setRegParam(PLATT_RIDGE).setLabelCol(TrainColumns.LABEL).setPredictionCol(FITTED));
    } else {
      throw new IllegalArgumentException("Cannot calibrate with method '" + settings.method() + "' (methods: "
          + String.join(", ", METHODS) + ")");
    }
    double clip = settings.clip();
    stages.add(new SQLTransformer().setStatement(String.format(Locale.ROOT,
        "SELECT *, least(greatest(%s, %s), %s)%s", FITTED, clip, 1 - clip, CLIP_MARKER)));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(scored);
  }

  /**
   * Whether {@code calibrator} keeps the classifier's ranking. Isotonic regression is increasing by
   * construction; a Platt curve with a slope at or below zero says the raw scores rank no better than
   * chance on the rows it was fitted on, and applying it would turn the ranking upside down.
   */
  static boolean increasing(PipelineModel calibrator) {
    for (Transformer stage : calibrator.stages()) {
      if (stage instanceof org.apache.spark.ml.regression.GeneralizedLinearRegressionModel glm) {
        return glm.coefficients().apply(0) > 0;
      }
    }
    return true;
  }

  /** The classifier followed by its calibrator: what the train job saves and score applies. */
  static PipelineModel wrap(PipelineModel classifier, PipelineModel calibrator) {
    List<Transformer> stages = new ArrayList<>();
    stages.add(classifier);
    stages.addAll(List.of(calibrator.stages()));
    return new PipelineModel(classifier.uid() + "_calibrated", stages);
  }

  /** Whether {@code model} was made by {@link #wrap}. */
  public static boolean isCalibrated(PipelineModel model) {
    Transformer[] stages = model.stages();
    return stages.length >= 2 && stages[0] instanceof PipelineModel
        && stages[stages.length - 1] instanceof SQLTransformer clip && clip.getStatement().endsWith(CLIP_MARKER);
  }

  /**
   * The classifier inside a calibrated model (the model itself otherwise): what feature importance
   * and reason codes read, since calibration is monotone and changes no ranking of features.
   */
  public static PipelineModel classifier(PipelineModel model) {
    return isCalibrated(model) ? (PipelineModel) model.stages()[0] : model;
  }

  /**
   * Out-of-fold predictions calibrated without looking at themselves: each fold's rows go through a
   * calibrator fitted on the other folds' rows, so the before/after figures of cross-validation are
   * as honest as the out-of-time ones.
   *
   * @return empty when a fold's calibrator would reverse the ranking (see {@link #increasing})
   */
  static java.util.Optional<Dataset<Row>> crossFitted(Dataset<Row> outOfFold, int folds,
      TrainSettings.Calibration settings) {
    Dataset<Row> all = null;
    for (int fold = 0; fold < folds; fold++) {
      Dataset<Row> others = outOfFold.where(col(TrainColumns.FOLD).notEqual(fold));
      Dataset<Row> own = outOfFold.where(col(TrainColumns.FOLD).equalTo(fold));
      PipelineModel calibrator = fit(others, settings);
      if (!increasing(calibrator)) {
        return java.util.Optional.empty();
      }
      Dataset<Row> part = calibrator.transform(own);
      all = all == null ? part : all.unionByName(part);
    }
    return java.util.Optional.of(all);
  }
}

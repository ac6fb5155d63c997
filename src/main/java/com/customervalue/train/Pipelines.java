package com.customervalue.train;

import com.customervalue.config.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;

/**
 * Builds the MLlib pipeline of a candidate: imputation, categorical encoding, text features,
 * assembly, scaling for linear models and the estimator. Every stage is a built-in MLlib stage,
 * so the fitted {@code PipelineModel} saves and loads with MLlib alone.
 */
public final class Pipelines {
  private Pipelines() {}

  /**
   * A pipeline and the estimator inside it, whose params the cross-validation grid refers to.
   *
   * @param pipeline the unfitted pipeline
   * @param estimator the estimator stage (inside the SMOTE wrapper when the candidate uses SMOTE)
   */
  public record Built(Pipeline pipeline, Predictor<?, ?, ?> estimator) {}

  /** The pipeline for {@code candidate} over {@code columns}. */
  public static Built build(Candidate candidate, FeatureColumns columns, TrainSettings settings) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();

    List<String> regressionImputed = settings.imputation().regressionColumns().stream()
        .filter(columns.numeric()::contains).toList();
    List<String> medianInputs = columns.numeric().stream().filter(c -> !regressionImputed.contains(c)).toList();
    if (!medianInputs.isEmpty()) {
      stages.add(new Imputer().setStrategy(settings.imputation().strategy())
          .setInputCols(medianInputs.toArray(String[]::new))
          .setOutputCols(medianInputs.stream().map(c -> TrainColumns.derived(c, TrainColumns.IMPUTED))
              .toArray(String[]::new)));
      medianInputs.forEach(c -> assembled.add(TrainColumns.derived(c, TrainColumns.IMPUTED)));
    }
    for (String column : regressionImputed) {
      stages.addAll(regressionImputation(column, new ArrayList<>(assembled)));
      assembled.add(TrainColumns.derived(column, TrainColumns.IMPUTED));
    }

    if (!columns.categorical().isEmpty()) {
      String[] indexed = columns.categorical().stream().map(c -> TrainColumns.derived(c, TrainColumns.INDEXED))
          .toArray(String[]::new);
      String[] encoded = columns.categorical().stream().map(c -> TrainColumns.derived(c, TrainColumns.ONE_HOT))
          .toArray(String[]::new);
      // keep: a category first seen when scoring gets the extra index instead of failing the run.
      stages.add(new StringIndexer().setInputCols(columns.categorical().toArray(String[]::new))
          .setOutputCols(indexed).setHandleInvalid("keep").setStringOrderType("frequencyDesc"));
      stages.add(new OneHotEncoder().setInputCols(indexed).setOutputCols(encoded).setHandleInvalid("keep"));
      assembled.addAll(List.of(encoded));
    }

    if (candidate.text()) {
      TrainSettings.Text text = settings.text();
      for (String column : columns.text()) {
        RegexTokenizer tokens = new RegexTokenizer().setInputCol(column).setOutputCol(column + "__tokens")
            .setPattern("[^\\p{L}\\p{N}]+").setMinTokenLength(2);
        StopWordsRemover words = new StopWordsRemover().setInputCol(tokens.getOutputCol())
            .setOutputCol(column + "__words");
        HashingTF tf = new HashingTF().setInputCol(words.getOutputCol()).setOutputCol(column + "__tf")
            .setNumFeatures(text.numFeatures());
        IDF idf = new IDF().setInputCol(tf.getOutputCol())
            .setOutputCol(TrainColumns.derived(column, TrainColumns.TFIDF)).setMinDocFreq(text.minDocFreq());
        stages.addAll(List.of(tokens, words, tf, idf));
        assembled.add(idf.getOutputCol());
      }
    }

    if (assembled.isEmpty()) {
      throw new IllegalArgumentException("candidate " + candidate.name() + " has no feature columns");
    }
    if (candidate.family().isLinear()) {
      // Amounts, counts and day spans are heavy-tailed; on a signed log scale a linear model's
      // coefficients describe the bulk of the accounts instead of the few largest.
      List<String> numericOut = assembled.stream().filter(c -> c.endsWith(TrainColumns.IMPUTED)).toList();
      if (!numericOut.isEmpty()) {
        StringBuilder sql = new StringBuilder("SELECT *");
        for (String c : numericOut) {
          sql.append(", signum(`").append(c).append("`) * ln(1 + abs(`").append(c).append("`)) AS `").append(c)
              .append(TrainColumns.LOG).append('`');
        }
        stages.add(new SQLTransformer().setStatement(sql.append(" FROM __THIS__").toString()));
        assembled.replaceAll(c -> c.endsWith(TrainColumns.IMPUTED) ? c + TrainColumns.LOG : c);
      }
    }
    VectorAssembler assembler = new VectorAssembler().setInputCols(assembled.toArray(String[]::new))
        .setOutputCol(TrainColumns.RAW_FEATURES);
    stages.add(assembler);
    String featuresCol = assembler.getOutputCol();
    if (candidate.family().isLinear()) {
      StandardScaler scaler = new StandardScaler().setInputCol(featuresCol).setOutputCol(TrainColumns.FEATURES)
          .setWithMean(true).setWithStd(true);
      stages.add(scaler);
      featuresCol = scaler.getOutputCol();
    }

    Predictor<?, ?, ?> estimator = candidate.family().newEstimator();
    estimator.set(estimator.featuresCol(), featuresCol);
    estimator.set(estimator.labelCol(), TrainColumns.LABEL);
    if (estimator.hasParam("seed")) {
      estimator.set(estimator.getParam("seed"), settings.seed());
    }
    if ("class_weight".equals(candidate.imbalance())) {
      estimator.set(estimator.getParam("weightCol"), TrainColumns.WEIGHT);
    }
    // SMOTE passes only features, label and weight to the estimator, and its synthetic rows have no side.
    if (settings.earlyStopping().enabled() && estimator.hasParam("validationIndicatorCol")
        && !"smote".equals(candidate.imbalance())) {
      estimator.set(estimator.getParam("validationIndicatorCol"), TrainColumns.EARLY_STOPPING);
      estimator.set(estimator.getParam("validationTol"), settings.earlyStopping().tolerance());
    }
    Estimator<?> last = estimator;
    if ("smote".equals(candidate.imbalance())) {
      TrainSettings.Smote s = settings.smote();
      last = smote(estimator).setK(s.neighbours()).setTargetRatio(s.targetRatio())
          .setBucketLength(s.bucketLength()).setNumHashTables(s.hashTables()).setSeed(settings.seed());
    }
    stages.add(last);
    if (!candidate.family().isClassifier()) {
      // The regressors learn log1p(value); this stage turns their output back into the value itself.
      stages.add(new SQLTransformer().setStatement("SELECT *, expm1(prediction) AS `" + TrainColumns.PREDICTED_VALUE
          + "` FROM __THIS__"));
    }
    return new Built(new Pipeline().setStages(stages.toArray(PipelineStage[]::new)), estimator);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Smote<?> smote(Predictor<?, ?, ?> estimator) {
    return new Smote((Predictor) estimator);
  }

  /**
   * Fills {@code column} with a linear regression on the already imputed columns, fitted on the rows
   * where it is known (zero weight elsewhere), as the license study filled its gaps.
   */
  private static List<PipelineStage> regressionImputation(String column, List<String> predictors) {
    if (predictors.isEmpty()) {
      throw new IllegalArgumentException("regression imputation of '" + column + "' needs other numeric features");
    }
    String known = column + "__known";
    String target = column + "__target";
    String others = column + "__predictors";
    String predicted = column + "__predicted";
    return List.of(
        new SQLTransformer().setStatement("SELECT *, CASE WHEN `" + column + "` IS NULL THEN 0.0 ELSE 1.0 END AS `"
            + known + "`, CAST(coalesce(`" + column + "`, 0) AS DOUBLE) AS `" + target + "` FROM __THIS__"),
        new VectorAssembler().setInputCols(predictors.toArray(String[]::new)).setOutputCol(others),
        new LinearRegression().setFeaturesCol(others).setLabelCol(target).setWeightCol(known)
            .setPredictionCol(predicted).setRegParam(0.01),
        new SQLTransformer().setStatement("SELECT *, CAST(coalesce(`" + column + "`, `" + predicted + "`) AS DOUBLE) AS `"
            + TrainColumns.derived(column, TrainColumns.IMPUTED) + "` FROM __THIS__"));
  }
}

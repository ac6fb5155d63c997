package com.customervalue.train;

import static org.apache.spark.sql.functions.col;

import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.CustomerFeaturesTable;
import com.customervalue.identity.Keyed;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A model the train job saved, loaded for scoring: its pipeline, its metadata and how to apply it
 * to rows of {@code customer_features}.
 *
 * @param target the target it predicts
 * @param runId the train run that saved it
 * @param location its folder under {@code <warehouse>/models}
 * @param model the fitted pipeline
 * @param metadata the metadata.json the train job wrote
 */
public record SavedModel(String target, String runId, String location, PipelineModel model,
    Map<String, Object> metadata) {

  /**
   * Loads the model of {@code target} saved by train run {@code runId}, or by the newest train run
   * (by the {@code trained_at} time in its metadata) when {@code runId} is empty.
   *
   * @return empty when no train run saved a model for the target
   */
  public static Optional<SavedModel> find(SparkSession spark, String warehouseRoot, String target,
      Optional<String> runId) {
    Path dir = new Path(ModelStore.targetDirectory(warehouseRoot, target));
    List<String> runs = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isDirectory() && fs.exists(new Path(s.getPath(), ModelStore.METADATA))) {
          runs.add(s.getPath().getName());
        }
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CustomerValueException("score: cannot list the saved models in " + dir + ": " + e.getMessage(), e);
    }
    Optional<String> chosen;
    if (runId.isPresent()) {
      chosen = runs.contains(runId.get()) ? runId : Optional.empty();
    } else {
      chosen = runs.stream().max(Comparator.comparing((String r) -> trainedAt(spark, warehouseRoot, target, r))
          .thenComparing(Comparator.naturalOrder()));
    }
    return chosen.map(r -> load(spark, warehouseRoot, target, r));
  }

  private static String trainedAt(SparkSession spark, String warehouseRoot, String target, String runId) {
    Object at = ModelStore.metadata(spark, ModelStore.location(warehouseRoot, target, runId)).get("trained_at");
    return at == null ? "" : at.toString();
  }

  private static SavedModel load(SparkSession spark, String warehouseRoot, String target, String runId) {
    String location = ModelStore.location(warehouseRoot, target, runId);
    return new SavedModel(target, runId, location, ModelStore.load(location), ModelStore.metadata(spark, location));
  }

  /** Whether the model is a 0/1 classifier (else a regressor of an amount). */
  public boolean classification() {
    Object task = metadata.get("task");
    return task != null && task.toString().startsWith("classification");
  }

  /** The model's name, e.g. {@code logistic} or {@code gbt/no_text}. */
  public String name() {
    return String.valueOf(metadata.get("model"));
  }

  /** The feature columns the model reads. */
  @SuppressWarnings("unchecked")
  public List<String> features() {
    List<String> all = new ArrayList<>();
    for (String key : List.of("features_numeric", "features_categorical", "features_text")) {
      Object v = metadata.get(key);
      if (v instanceof List<?> l) {
        all.addAll((List<String>) l);
      }
    }
    return all;
  }

  /**
   * Applies the model to rows of {@code customer_features} and adds {@code outputCol}: the
   * probability of class 1 for a classifier, the predicted amount on the original scale for a
   * regressor; with {@code reasonsCol} non-null also the top {@code reasons} features behind each
   * score (see {@link ReasonCodes}). Every other column of {@code rows} is kept; the model's own
   * working columns are dropped.
   */
  public Dataset<Row> score(Dataset<Row> rows, String outputCol, String reasonsCol, int reasons) {
    List<String> missing = features().stream().filter(f -> !List.of(rows.columns()).contains(f)).toList();
    if (!missing.isEmpty()) {
      throw new CustomerValueException("score: the " + target + " model of train run " + runId + " reads columns that "
          + CustomerFeaturesTable.NAME + " no longer has: " + missing + "; train again on the current features");
    }
    List<String> kept = List.of(rows.columns());
    Dataset<Row> scored = model.transform(rows.withColumn(TrainColumns.ID, col(Keyed.ACCOUNT_KEY)));
    String value;
    if (classification()) {
      scored = TargetTrainer.withProbability(scored);
      value = TrainColumns.P_POSITIVE;
    } else {
      value = TrainColumns.PREDICTED_VALUE;
    }
    if (reasonsCol != null) {
      scored = ReasonCodes.explain(model, scored, reasons, reasonsCol);
    }
    List<org.apache.spark.sql.Column> out = new ArrayList<>();
    kept.forEach(c -> out.add(col("`" + c + "`")));
    out.add(col(value).as(outputCol));
    if (reasonsCol != null) {
      out.add(col(reasonsCol));
    }
    return scored.select(out.toArray(org.apache.spark.sql.Column[]::new));
  }
}

package com.customervalue.train;

import com.customervalue.errors.CustomerValueException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * Where chosen models live: {@code <warehouse>/models/<target>/<run id>/} holds the MLlib
 * {@code pipeline/} and {@code metadata.json} (run id, target, model, features, params, metrics and
 * the input table versions). Works on any Hadoop file system, s3a:// included.
 */
public final class ModelStore {
  public static final String DIRECTORY = "models";
  public static final String PIPELINE = "pipeline";
  public static final String METADATA = "metadata.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelStore() {}

  /** The folder holding one target's models, one sub-folder per train run. */
  public static String targetDirectory(String warehouseRoot, String target) {
    String root = warehouseRoot.endsWith("/") ? warehouseRoot : warehouseRoot + "/";
    return root + DIRECTORY + "/" + target;
  }

  /** The folder of one target's model of one run. */
  public static String location(String warehouseRoot, String target, String runId) {
    return targetDirectory(warehouseRoot, target) + "/" + runId;
  }

  /** Saves the pipeline and its metadata, replacing what an earlier attempt of the same run wrote. */
  public static void save(SparkSession spark, String location, PipelineModel model, Map<String, Object> metadata) {
    try {
      model.write().overwrite().save(location + "/" + PIPELINE);
      Path file = new Path(location + "/" + METADATA);
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        JSON.writeValue(out, metadata);
      }
    } catch (IOException e) {
      throw new CustomerValueException("train: cannot save the model to " + location + ": " + e.getMessage(), e);
    }
  }

  /** Loads a saved pipeline. */
  public static PipelineModel load(String location) {
    return PipelineModel.load(location + "/" + PIPELINE);
  }

  /** Reads a saved model's metadata. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> metadata(SparkSession spark, String location) {
    Path file = new Path(location + "/" + METADATA);
    try (InputStream in = file.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(file)) {
      return JSON.readValue(in, Map.class);
    } catch (IOException e) {
      throw new CustomerValueException("cannot read model metadata " + file + ": " + e.getMessage(), e);
    }
  }
}

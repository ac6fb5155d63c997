package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import com.customervalue.spark.JavaSerialized;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.feature.ElementwiseProduct;
import org.apache.spark.ml.feature.MaxAbsScalerModel;
import org.apache.spark.ml.feature.MinMaxScalerModel;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.RobustScalerModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.ml.tree.DecisionTreeModel;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;
import org.apache.spark.mllib.tree.impurity.ImpurityCalculator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-row reason codes for the final model of a fitted {@link PipelineModel}: the features that push
 * each row's score up or down the most.
 *
 * <p>Every contribution is additive: {@code bias(model) + sum(contributions(model, x))} equals the
 * model's own output for {@code x}, so the codes explain the actual score, not a proxy for it. The
 * output each model is explained in:
 * <ul>
 *   <li>{@link LogisticRegressionModel} (binary only): the margin (log-odds), {@code rawPrediction[1]};
 *       contribution = coefficient &times; the value the model sees (in our pipelines a standardised
 *       value, since the scaler runs with {@code withMean=true}); bias = intercept.
 *   <li>{@link LinearRegressionModel}: the prediction; same decomposition as above.
 *   <li>Tree models, by path attribution (Saabas): walking a tree from root to leaf, each split's
 *       change in node value (child &minus; parent) is credited to the split feature, so the leaf value
 *       telescopes to root value + credits. Node value is {@code prediction()} for regression trees and
 *       the class-1 share of the node's class counts ({@code impurityStats().stats()}) for
 *       classification trees.
 *       <ul>
 *         <li>{@link GBTRegressionModel}: the prediction, {@code sum(w_i * tree_i(x))}.
 *         <li>{@link GBTClassificationModel}: the margin {@code m = sum(w_i * tree_i(x))} over its
 *             regression trees. MLlib's {@code rawPrediction} is {@code [-m, m]} (checked against the
 *             4.0.1 bytecode of {@code predictRaw}), so this explains {@code rawPrediction[1]};
 *             {@code probability[1]} is {@code 1 / (1 + exp(-2m))} under the logistic loss.
 *         <li>{@link RandomForestRegressionModel}: the prediction, the mean of the trees.
 *         <li>{@link RandomForestClassificationModel} (binary only): {@code probability[1]}, the mean
 *             over trees of the leaf's class-1 share (MLlib's vote normalisation).
 *         <li>{@link DecisionTreeRegressionModel} / {@link DecisionTreeClassificationModel} (binary):
 *             the prediction / {@code probability[1]} of the single tree.
 *       </ul>
 * </ul>
 * The bias is the intercept, or the weighted (GBT) / averaged (random forest) root values.
 *
 * <p>Feature names come from the ML attribute metadata of the model's features column. In Spark 4.0.1
 * {@link StandardScalerModel} writes only the vector size there ({@code {"ml_attr":{"num_attrs":n}}}),
 * dropping the assembler's names, so when the column has no names and is the output of an element-wise
 * stage of the pipeline (a scaler, {@link Normalizer}, {@link ElementwiseProduct}), the names of that
 * stage's input column are used; slots still unnamed are called {@code f<index>}.
 */
public final class ReasonCodes {
  private static final Logger log = LoggerFactory.getLogger(ReasonCodes.class);

  /** The direction of a contribution that raises the score. */
  public static final String UP = "up";
  /** The direction of a contribution that lowers the score. */
  public static final String DOWN = "down";

  /** One reason: {@code feature:string, direction:string, contribution:double}. */
  public static final StructType REASON_TYPE = new StructType()
      .add("feature", DataTypes.StringType, false)
      .add("direction", DataTypes.StringType, false)
      .add("contribution", DataTypes.DoubleType, false);
  /** The type of the column {@link #explain} adds. */
  public static final ArrayType REASONS_TYPE = DataTypes.createArrayType(REASON_TYPE, false);

  private static final String SUPPORTED = "LogisticRegressionModel (binary), LinearRegressionModel, "
      + "GBTClassificationModel, GBTRegressionModel, RandomForestClassificationModel (binary), "
      + "RandomForestRegressionModel, DecisionTreeClassificationModel (binary), DecisionTreeRegressionModel";

  private ReasonCodes() {}

  /**
   * One feature's push on one row's score.
   *
   * @param feature the feature's name
   * @param direction {@link #UP} when the contribution is positive, {@link #DOWN} when negative
   * @param contribution the feature's share of the score, in the units of the explained output
   */
  public record Reason(String feature, String direction, double contribution) {
    /** The reason as a row of {@link #REASON_TYPE}. */
    Row toRow() {
      return RowFactory.create(feature, direction, contribution);
    }

    static Reason of(String feature, double contribution) {
      return new Reason(feature, contribution > 0 ? UP : DOWN, contribution);
    }
  }

  /**
   * Adds column {@code outputCol} ({@link #REASONS_TYPE}) holding, per row, the {@code topN} features
   * by |contribution| (descending; ties go to the lower feature index). Rows whose contributions are
   * all zero get an empty array; rows with a null features vector get null. The model is broadcast
   * once per call; the broadcast lives as long as the returned frame may be evaluated, so it is not
   * destroyed here.
   *
   * @param model a fitted pipeline whose last stage is one of the supported models
   * @param transformed {@code model.transform(df)}, or any frame holding the last stage's features column
   * @param topN how many reasons per row, at least 1
   * @param outputCol the column to add (replaced if present)
   * @throws IllegalArgumentException for an unsupported last stage, a missing features column or
   *     {@code topN < 1}
   */
  public static Dataset<Row> explain(PipelineModel model, Dataset<Row> transformed, int topN, String outputCol) {
    if (topN < 1) {
      throw new IllegalArgumentException("Cannot explain scores: topN must be at least 1 (got " + topN + ")");
    }
    // A calibrator maps the score monotonically: the classifier's features explain it.
    Transformer[] stages = Calibration.classifier(model).stages();
    if (stages.length == 0) {
      throw new IllegalArgumentException("Cannot explain scores: the pipeline model has no stages");
    }
    // The scoring model is the last prediction stage: stages after it only reshape its output (the
    // regressors' expm1 back-transform), and prediction stages before it fill inputs (imputation).
    Transformer last = stages[stages.length - 1];
    for (int i = stages.length - 1; i >= 0; i--) {
      if (stages[i] instanceof PredictionModel<?, ?>) {
        last = stages[i];
        break;
      }
    }
    if (!(last instanceof PredictionModel<?, ?> finalStage)) {
      throw unsupported(last);
    }
    Attributor attributor = attributor(finalStage);
    String featuresCol = finalStage.getFeaturesCol();
    StructType schema = transformed.schema();
    if (!hasColumn(schema, featuresCol)) {
      throw new IllegalArgumentException("Cannot explain scores of " + finalStage.getClass().getSimpleName()
          + ": features column '" + featuresCol + "' is missing (found: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    String[] names = featureNames(stages, schema, featuresCol, attributor.numFeatures());
    log.debug("explaining {} with {} features, top {}", finalStage.getClass().getSimpleName(), names.length, topN);

    // One broadcast per call: a large ensemble is shipped to each executor once, not with every task.
    // Wrapped: a broadcast goes through spark.serializer, and Kryo cannot write the records inside.
    Broadcast<JavaSerialized<Explainer>> shared = JavaSparkContext.fromSparkContext(transformed.sparkSession()
        .sparkContext()).broadcast(JavaSerialized.of(new Explainer(attributor, names, topN)));
    UDF1<Vector, Row[]> reasons = x -> x == null ? null : shared.value().get().rows(x);
    return transformed.withColumn(outputCol, udf(reasons, REASONS_TYPE).apply(col(featuresCol)));
  }

  /**
   * Every feature's contribution to the model's output for {@code x} (see the class comment for which
   * output); {@code bias(finalStage) + sum} equals that output.
   *
   * @return an array of length {@code numFeatures}
   * @throws IllegalArgumentException for an unsupported model or a vector of the wrong size
   */
  public static double[] contributions(Model<?> finalStage, Vector x) {
    Attributor attributor = attributor(finalStage);
    if (x.size() != attributor.numFeatures()) {
      throw new IllegalArgumentException("Cannot explain a vector of size " + x.size() + " with "
          + finalStage.getClass().getSimpleName() + ": it expects " + attributor.numFeatures() + " features");
    }
    double[] out = new double[attributor.numFeatures()];
    attributor.addContributions(x, out);
    return out;
  }

  /** The part of every score not credited to any feature: the intercept or the (weighted) root values. */
  public static double bias(Model<?> finalStage) {
    return attributor(finalStage).bias();
  }

  /**
   * The {@code topN} non-zero contributions by |contribution| descending, ties to the lower index.
   * NaN contributions are not reasons and are left out.
   */
  public static List<Reason> top(double[] contributions, String[] names, int topN) {
    int[] best = topIndices(contributions, topN);
    List<Reason> out = new ArrayList<>(best.length);
    for (int j : best) {
      out.add(Reason.of(names[j], contributions[j]));
    }
    return out;
  }

  /**
   * Names of the {@code numFeatures} slots of {@code featuresCol}, from its ML attributes, or from the
   * input of the element-wise stage that produced it, else {@code f<index>}.
   */
  static String[] featureNames(Transformer[] stages, StructType schema, String featuresCol, int numFeatures) {
    String[] names = null;
    String column = featuresCol;
    // Each hop goes one stage upstream, so the walk ends within stages.length hops.
    for (int hop = 0; hop <= stages.length && column != null && names == null; hop++) {
      names = namesFromMetadata(schema, column, numFeatures);
      if (names == null) {
        column = elementwiseInput(stages, column, schema);
      }
    }
    String[] out = new String[numFeatures];
    for (int i = 0; i < numFeatures; i++) {
      // Readable names, as in feature_importance: "spend_90d", "industry=retail", not the stages' column names.
      out[i] = names != null && names[i] != null ? TrainColumns.readable(names[i]) : "f" + i;
    }
    return out;
  }

  /** Slot names from the column's attribute group, or null when it names none or has another size. */
  private static String[] namesFromMetadata(StructType schema, String column, int numFeatures) {
    if (!hasColumn(schema, column)) {
      return null;
    }
    AttributeGroup group = AttributeGroup.fromStructField(schema.apply(column));
    if (group.attributes().isEmpty()) {
      return null;
    }
    Attribute[] attributes = group.attributes().get();
    if (attributes.length != numFeatures) {
      return null;
    }
    String[] names = new String[numFeatures];
    boolean any = false;
    for (int i = 0; i < numFeatures; i++) {
      Attribute a = attributes[i];
      int index = a.index().isDefined() ? (Integer) a.index().get() : i;
      if (a.name().isDefined() && index >= 0 && index < numFeatures) {
        names[index] = a.name().get();
        any = true;
      }
    }
    return any ? names : null;
  }

  /** The input column of the dimension-preserving stage that writes {@code column}, if any. */
  private static String elementwiseInput(Transformer[] stages, String column, StructType schema) {
    for (Transformer stage : stages) {
      boolean elementwise = stage instanceof StandardScalerModel || stage instanceof MinMaxScalerModel
          || stage instanceof MaxAbsScalerModel || stage instanceof RobustScalerModel
          || stage instanceof Normalizer || stage instanceof ElementwiseProduct;
      if (elementwise && column.equals(stringParam(stage, "outputCol"))) {
        String input = stringParam(stage, "inputCol");
        return input != null && hasColumn(schema, input) ? input : null;
      }
    }
    return null;
  }

  private static String stringParam(Transformer stage, String name) {
    if (!stage.hasParam(name)) {
      return null;
    }
    Param<Object> param = stage.getParam(name);
    return stage.isDefined(param) && stage.getOrDefault(param) instanceof String s ? s : null;
  }

  private static boolean hasColumn(StructType schema, String column) {
    return Arrays.asList(schema.fieldNames()).contains(column);
  }

  private static IllegalArgumentException unsupported(Object model) {
    return new IllegalArgumentException("Cannot compute reason codes for " + model.getClass().getName()
        + ": supported final stages are " + SUPPORTED);
  }

  private static IllegalArgumentException notBinary(Object model, int numClasses) {
    return new IllegalArgumentException("Cannot compute reason codes for " + model.getClass().getName()
        + ": only binary classifiers are supported (this one has " + numClasses + " classes)");
  }

  /** The additive decomposition of one supported model, flattened to plain arrays for shipping. */
  static Attributor attributor(Object model) {
    if (model instanceof LogisticRegressionModel m) {
      // A multinomial fit on two classes has two coefficient rows and no single margin to split.
      if (m.numClasses() != 2 || m.coefficientMatrix().numRows() != 1) {
        throw notBinary(m, m.numClasses());
      }
      return new Linear(m.coefficients().toArray(), m.intercept());
    }
    if (model instanceof LinearRegressionModel m) {
      return new Linear(m.coefficients().toArray(), m.intercept());
    }
    if (model instanceof GBTRegressionModel m) {
      return Forest.of(m.trees(), m.treeWeights(), false, m.numFeatures());
    }
    if (model instanceof GBTClassificationModel m) {
      // Its trees are regression trees fitted to the margin; their prediction() is the node value.
      return Forest.of(m.trees(), m.treeWeights(), false, m.numFeatures());
    }
    if (model instanceof RandomForestRegressionModel m) {
      return Forest.of(m.trees(), equalWeights(m.getNumTrees()), false, m.numFeatures());
    }
    if (model instanceof RandomForestClassificationModel m) {
      if (m.numClasses() != 2) {
        throw notBinary(m, m.numClasses());
      }
      return Forest.of(m.trees(), equalWeights(m.getNumTrees()), true, m.numFeatures());
    }
    if (model instanceof DecisionTreeRegressionModel m) {
      return Forest.of(new DecisionTreeModel[] {m}, new double[] {1.0}, false, m.numFeatures());
    }
    if (model instanceof DecisionTreeClassificationModel m) {
      if (m.numClasses() != 2) {
        throw notBinary(m, m.numClasses());
      }
      return Forest.of(new DecisionTreeModel[] {m}, new double[] {1.0}, true, m.numFeatures());
    }
    throw unsupported(model);
  }

  private static double[] equalWeights(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1.0 / n);
    return w;
  }

  /** Indices of the topN non-zero, non-NaN entries by |value| desc, ties to the lower index. */
  private static int[] topIndices(double[] c, int topN) {
    int[] best = new int[Math.min(topN, c.length)];
    int count = 0;
    for (int j = 0; j < c.length; j++) {
      double size = Math.abs(c[j]);
      if (!(size > 0)) {
        continue;
      }
      // Scanning in index order and inserting only before strictly smaller entries keeps ties by index.
      int at = count;
      while (at > 0 && Math.abs(c[best[at - 1]]) < size) {
        at--;
      }
      if (at >= best.length) {
        continue;
      }
      int end = Math.min(count, best.length - 1);
      System.arraycopy(best, at, best, at + 1, end - at);
      best[at] = j;
      count = Math.min(count + 1, best.length);
    }
    return count == best.length ? best : Arrays.copyOf(best, count);
  }

  /** What the executors need: the decomposition, the names and N. */
  private record Explainer(Attributor attributor, String[] names, int topN) implements Serializable {
    Row[] rows(Vector x) {
      if (x.size() != attributor.numFeatures()) {
        throw new IllegalArgumentException("Cannot explain a features vector of size " + x.size()
            + ": the model expects " + attributor.numFeatures() + " features");
      }
      double[] c = new double[attributor.numFeatures()];
      attributor.addContributions(x, c);
      int[] best = topIndices(c, topN);
      Row[] out = new Row[best.length];
      for (int k = 0; k < best.length; k++) {
        out[k] = Reason.of(names[best[k]], c[best[k]]).toRow();
      }
      return out;
    }
  }

  /** An additive decomposition: output(x) = bias() + sum of what addContributions adds. */
  sealed interface Attributor extends Serializable permits Linear, Forest {
    int numFeatures();

    double bias();

    void addContributions(Vector x, double[] out);
  }

  /** coefficient_j * x_j; sparse vectors are walked over their stored entries only. */
  private record Linear(double[] coefficients, double intercept) implements Attributor {
    @Override
    public int numFeatures() {
      return coefficients.length;
    }

    @Override
    public double bias() {
      return intercept;
    }

    @Override
    public void addContributions(Vector x, double[] out) {
      if (x instanceof SparseVector s) {
        int[] indices = s.indices();
        double[] values = s.values();
        for (int k = 0; k < indices.length; k++) {
          out[indices[k]] += coefficients[indices[k]] * values[k];
        }
      } else {
        double[] values = x instanceof DenseVector d ? d.values() : x.toArray();
        for (int j = 0; j < values.length; j++) {
          out[j] += coefficients[j] * values[j];
        }
      }
    }
  }

  /**
   * Weighted trees in array form (children by index, -1 at leaves), so a row's walk touches only
   * arrays and the splits, and the broadcast carries no impurity calculators.
   */
  private record Forest(FlatTree[] trees, double[] weights, int numFeatures, double bias) implements Attributor {
    static Forest of(DecisionTreeModel[] models, double[] weights, boolean classProbability, int numFeatures) {
      FlatTree[] trees = new FlatTree[models.length];
      double bias = 0;
      for (int t = 0; t < models.length; t++) {
        trees[t] = FlatTree.of(models[t].rootNode(), classProbability);
        bias += weights[t] * trees[t].value[0];
      }
      return new Forest(trees, weights.clone(), numFeatures, bias);
    }

    @Override
    public void addContributions(Vector x, double[] out) {
      for (int t = 0; t < trees.length; t++) {
        trees[t].addPath(x, weights[t], out);
      }
    }
  }

  /** One tree in pre-order arrays; node 0 is the root. */
  private record FlatTree(int[] left, int[] right, Split[] split, double[] value) implements Serializable {
    static FlatTree of(Node root, boolean classProbability) {
      int n = root.numDescendants() + 1;
      FlatTree tree = new FlatTree(new int[n], new int[n], new Split[n], new double[n]);
      tree.fill(root, 0, classProbability);
      return tree;
    }

    /** Writes the subtree at {@code node} from index {@code i} in pre-order; returns the next free index. */
    private int fill(Node node, int i, boolean classProbability) {
      value[i] = classProbability ? classOneShare(node) : node.prediction();
      if (!(node instanceof InternalNode internal)) {
        left[i] = -1;
        right[i] = -1;
        return i + 1;
      }
      split[i] = internal.split();
      left[i] = i + 1;
      right[i] = fill(internal.leftChild(), i + 1, classProbability);
      return fill(internal.rightChild(), right[i], classProbability);
    }

    /** The node's class-1 share, as MLlib's tree classifiers compute leaf probabilities. */
    private static double classOneShare(Node node) {
      ImpurityCalculator stats = node.impurityStats();
      if (stats == null || stats.stats().length < 2) {
        throw new IllegalArgumentException("Cannot compute reason codes for a classification tree without "
            + "per-node class counts (impurity statistics)");
      }
      double[] counts = stats.stats();
      double total = 0;
      for (double c : counts) {
        total += c;
      }
      return total == 0 ? 0 : counts[1] / total;
    }

    void addPath(Vector x, double weight, double[] out) {
      int node = 0;
      while (left[node] >= 0) {
        int next = split[node].shouldGoLeft(x) ? left[node] : right[node];
        out[split[node].featureIndex()] += weight * (value[next] - value[node]);
        node = next;
      }
    }
  }
}

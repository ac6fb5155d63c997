package com.customervalue.train;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.zip_with;

import com.customervalue.spark.StageDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSH;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMOTE oversampling as an MLlib {@link Estimator} that wraps a binary classifier (any
 * {@link Predictor} with a 0/1 label, e.g. {@code LogisticRegression}, {@code GBTClassifier},
 * {@code RandomForestClassifier}).
 *
 * <p>{@link #fit} adds synthetic minority rows to the rows it is given and returns
 * {@code inner.fit(oversampled)}. Used as the last stage of a {@code Pipeline} tuned by
 * {@code CrossValidator}, it therefore only ever sees training folds: synthetic rows are made
 * after the split, so no validation fold contains points interpolated from its own rows.
 *
 * <p>The fitted model is the inner estimator's own model (e.g. a {@code LogisticRegressionModel}),
 * so a fitted {@code PipelineModel} holds only built-in stages and saves and loads with MLlib's
 * own persistence. The unfitted {@code Smote} itself is not {@code MLWritable}.
 *
 * <p>{@link #copy} forwards its {@code ParamMap} to the inner estimator: that is how
 * {@code CrossValidator} (through {@code Pipeline.copy}) tunes the inner estimator's params, such
 * as {@code lr.regParam()}. Smote's own params (k, targetRatio, ...) can be tuned the same way.
 *
 * <p>Neighbours are found with MLlib's {@link BucketedRandomProjectionLSH}: an approximate
 * similarity self-join of the minority rows, of which the {@code k} nearest per point are kept.
 * The bucket length is in the units of the feature vector; the default 1.0 suits standardised
 * features. Points with no neighbour in any hash bucket make no synthetic rows.
 */
public final class Smote<M extends PredictionModel<Vector, M>> extends Estimator<M> {
  private static final Logger log = LoggerFactory.getLogger(Smote.class);

  // Internal column names; prefixed so they never meet a caller's column.
  private static final String X = "__smote_x";
  private static final String V = "__smote_v";
  private static final String HASHES = "__smote_hashes";
  private static final String NB = "__smote_nb";
  private static final String DIST = "__smote_dist";
  private static final String RANK = "__smote_rank";
  private static final String NBS = "__smote_nbs";
  private static final String EXTRA = "__smote_extra";
  private static final String COPIES = "__smote_copies";
  private static final String J = "__smote_j";
  private static final String GAP = "__smote_gap";
  private static final String PICK = "__smote_pick";

  // Salts keep the random draws made from the same row independent of each other.
  private static final int SALT_EXTRA = 1;
  private static final int SALT_GAP = 2;
  private static final int SALT_PICK = 3;

  private final String uid;
  private final Predictor<Vector, ?, M> inner;
  private final IntParam k;
  private final DoubleParam targetRatio;
  private final DoubleParam bucketLength;
  private final IntParam numHashTables;
  private final LongParam seed;

  /**
   * SMOTE settings for {@link #oversample}.
   *
   * @param k neighbours per minority point to interpolate towards
   * @param targetRatio minority rows wanted after oversampling, as a multiple of the majority count
   * @param bucketLength LSH bucket length, in feature units; larger finds more (and farther) neighbours
   * @param numHashTables LSH hash tables; more lowers the chance of missing a true neighbour
   * @param seed seed of the LSH projections and of every random draw
   */
  public record Settings(int k, double targetRatio, double bucketLength, int numHashTables, long seed) {
    /** The defaults of {@link Smote}'s params. */
    public static final Settings DEFAULTS = new Settings(5, 1.0, 1.0, 3, Smote.class.getName().hashCode());

    public Settings {
      if (k < 1) {
        throw new IllegalArgumentException("SMOTE k must be at least 1 (got " + k + ")");
      }
      if (!(targetRatio > 0) || Double.isInfinite(targetRatio)) {
        throw new IllegalArgumentException("SMOTE targetRatio must be a positive number (got " + targetRatio + ")");
      }
      if (!(bucketLength > 0) || Double.isInfinite(bucketLength)) {
        throw new IllegalArgumentException("SMOTE bucketLength must be a positive number (got " + bucketLength + ")");
      }
      if (numHashTables < 1) {
        throw new IllegalArgumentException("SMOTE numHashTables must be at least 1 (got " + numHashTables + ")");
      }
    }
  }

  /** Wraps {@code inner}, whose features, label and weight columns are the ones used. */
  public Smote(Predictor<Vector, ?, M> inner) {
    this(Identifiable.randomUID("smote"), inner);
  }

  private Smote(String uid, Predictor<Vector, ?, M> inner) {
    // Params read uid() in their constructor, so uid is set before they are made.
    this.uid = uid;
    this.inner = Objects.requireNonNull(inner, "inner estimator");
    this.k = new IntParam(this, "k", "neighbours per minority point to interpolate towards (>= 1)",
        ParamValidators.gtEq(1));
    this.targetRatio = new DoubleParam(this, "targetRatio",
        "minority rows wanted after oversampling, as a multiple of the majority count (> 0)",
        ParamValidators.gt(0));
    this.bucketLength = new DoubleParam(this, "bucketLength",
        "LSH bucket length in feature units (> 0); 1.0 suits standardised features", ParamValidators.gt(0));
    this.numHashTables = new IntParam(this, "numHashTables", "LSH hash tables (>= 1)", ParamValidators.gtEq(1));
    this.seed = new LongParam(this, "seed", "seed of the LSH projections and of every random draw");
    Settings d = Settings.DEFAULTS;
    setDefault(k, d.k());
    setDefault(targetRatio, d.targetRatio());
    setDefault(bucketLength, d.bucketLength());
    setDefault(numHashTables, d.numHashTables());
    setDefault(seed, d.seed());
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The wrapped estimator. */
  public Predictor<Vector, ?, M> inner() {
    return inner;
  }

  public IntParam k() {
    return k;
  }

  public DoubleParam targetRatio() {
    return targetRatio;
  }

  public DoubleParam bucketLength() {
    return bucketLength;
  }

  public IntParam numHashTables() {
    return numHashTables;
  }

  public LongParam seed() {
    return seed;
  }

  public int getK() {
    return (Integer) getOrDefault(k);
  }

  public double getTargetRatio() {
    return (Double) getOrDefault(targetRatio);
  }

  public double getBucketLength() {
    return (Double) getOrDefault(bucketLength);
  }

  public int getNumHashTables() {
    return (Integer) getOrDefault(numHashTables);
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  public Smote<M> setK(int value) {
    set(k, value);
    return this;
  }

  public Smote<M> setTargetRatio(double value) {
    set(targetRatio, value);
    return this;
  }

  public Smote<M> setBucketLength(double value) {
    set(bucketLength, value);
    return this;
  }

  public Smote<M> setNumHashTables(int value) {
    set(numHashTables, value);
    return this;
  }

  public Smote<M> setSeed(long value) {
    set(seed, value);
    return this;
  }

  /** This stage's params as {@link Settings}. */
  public Settings settings() {
    return new Settings(getK(), getTargetRatio(), getBucketLength(), getNumHashTables(), getSeed());
  }

  /**
   * Oversamples the minority class of the inner estimator's label and fits the inner estimator on
   * the result. Only the inner estimator's features, label and (if set and present) weight columns
   * are passed on; synthetic rows have weight 1.0.
   */
  @Override
  public M fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String weightCol = weightCol(dataset.schema());
    List<Column> needed = new ArrayList<>(List.of(col(inner.getFeaturesCol()), col(inner.getLabelCol())));
    if (weightCol != null) {
      needed.add(col(weightCol));
    }
    // Both checkpoints cut the lineage: the estimator runs one small Spark job per iteration or tree
    // level, and each would otherwise ship the whole preprocessing and neighbour-search plan.
    Dataset<Row> input = dataset.toDF().select(needed.toArray(Column[]::new)).localCheckpoint(true);
    Oversampled oversampled = oversample(input, inner.getFeaturesCol(), inner.getLabelCol(), weightCol, settings(),
        true);
    try {
      return inner.fit(oversampled.rows().localCheckpoint(true));
    } finally {
      if (oversampled.cached() != null) {
        oversampled.cached().unpersist();
      }
    }
  }

  /** Forwards {@code extra} to the inner estimator too, so tuning grids on its params reach it. */
  @Override
  public Smote<M> copy(ParamMap extra) {
    return copyValues(new Smote<>(uid, inner.copy(extra)), extra);
  }

  /** The inner estimator's schema: the synthetic rows add no columns. */
  @Override
  public StructType transformSchema(StructType schema) {
    return inner.transformSchema(schema);
  }

  /**
   * Adds SMOTE rows for the minority class of a binary 0/1 label to {@code data}. Each synthetic
   * row is {@code x + u * (n - x)} for a minority point {@code x}, one of its {@code k} nearest
   * minority neighbours {@code n} (found with LSH) and {@code u} uniform in [0, 1). Synthetic rows
   * have the minority label, the features and no value in other columns.
   *
   * <p>The neighbour search runs once for planning and once more when the result is used; cache
   * {@code data} if it is expensive to recompute.
   *
   * @return {@code data} itself if the minority class already reaches the target, else {@code data}
   *     with the synthetic rows appended
   * @throws IllegalArgumentException if the label is not binary 0/1 with both classes present, or
   *     the minority class has fewer than 2 rows
   */
  public static Dataset<Row> oversample(Dataset<Row> data, String featuresCol, String labelCol, Settings settings) {
    return oversample(data, featuresCol, labelCol, null, settings);
  }

  /**
   * As {@link #oversample(Dataset, String, String, Settings)}, with weight 1.0 in
   * {@code weightCol} of the synthetic rows ({@code weightCol} may be null: no weights).
   */
  public static Dataset<Row> oversample(
      Dataset<Row> data, String featuresCol, String labelCol, String weightCol, Settings settings) {
    return oversample(data, featuresCol, labelCol, weightCol, settings, false).rows();
  }

  /** The oversampled rows and the dataset cached for them, to unpersist once they are used. */
  private record Oversampled(Dataset<Row> rows, Dataset<Row> cached) {}

  // "try": the StageDescription resource only names the Spark jobs run inside the block.
  @SuppressWarnings("try")
  private static Oversampled oversample(Dataset<Row> data, String featuresCol, String labelCol, String weightCol,
      Settings settings, boolean cache) {
    Objects.requireNonNull(settings, "settings");
    checkColumns(data.schema(), featuresCol, labelCol, weightCol);
    try (var stage = StageDescription.of(data.sparkSession(), "smote: oversample " + labelCol)) {
      ClassCounts classes = classCounts(data, labelCol);
      long target = (long) Math.ceil(settings.targetRatio() * classes.majorityRows());
      if (classes.minorityRows() >= target) {
        log.info("SMOTE: minority {}={} has {} rows, already at least the target {}; no synthetic rows",
            labelCol, classes.minorityLabel(), classes.minorityRows(), target);
        return new Oversampled(data, null);
      }
      if (classes.minorityRows() < 2) {
        throw new IllegalArgumentException("Cannot oversample label '" + labelCol + "': the minority class "
            + classes.minorityLabel() + " has " + classes.minorityRows()
            + " row(s), SMOTE needs at least 2 to interpolate between");
      }
      long needed = target - classes.minorityRows();

      // Identical minority rows are one point: their distance 0 would only copy them.
      Dataset<Row> points = data.filter(col(labelCol).equalTo(lit(classes.minorityLabel())))
          .select(vector_to_array(col(featuresCol), "float64").as(X))
          .distinct()
          .withColumn(V, array_to_vector(col(X)));
      Dataset<Row> neighbours = neighbours(points, settings);
      if (cache) {
        neighbours = neighbours.persist(StorageLevel.MEMORY_AND_DISK());
      }
      long distinctPoints = points.count();
      long withNeighbours = neighbours.count();
      if (withNeighbours == 0) {
        log.warn("SMOTE: none of the {} distinct minority points found a neighbour with bucketLength {};"
            + " no synthetic rows", distinctPoints, settings.bucketLength());
        return new Oversampled(data, cache ? neighbours : null);
      }

      // Every point makes `base` rows; the `extra` points with the lowest draw make one more, so the
      // total is exactly `needed` without ranking all points in one partition.
      long base = needed / withNeighbours;
      long extra = needed % withNeighbours;
      Dataset<Row> planned = neighbours.withColumn(EXTRA, uniform(settings.seed(), SALT_EXTRA, col(X)));
      Column copies = lit(base);
      if (extra > 0) {
        double threshold = planned.select(EXTRA).orderBy(EXTRA).limit((int) extra)
            .agg(max(EXTRA)).first().getDouble(0);
        copies = copies.plus(when(col(EXTRA).leq(threshold), 1).otherwise(0));
      }

      Column x = col(X);
      Column nb = element_at(col(NBS), col(PICK)).getField(NB);
      Column gap = col(GAP);
      List<Column> out = new ArrayList<>(List.of(
          array_to_vector(zip_with(x, nb, (a, b) -> a.plus(gap.multiply(b.minus(a))))).as(featuresCol),
          lit(classes.minorityLabel()).cast(data.schema().apply(labelCol).dataType()).as(labelCol)));
      if (weightCol != null) {
        out.add(lit(1.0).cast(data.schema().apply(weightCol).dataType()).as(weightCol));
      }
      Dataset<Row> synthetic = planned
          .withColumn(COPIES, copies.cast(DataTypes.LongType))
          .filter(col(COPIES).gt(0))
          .withColumn(J, explode(sequence(lit(1L), col(COPIES))))
          .withColumn(GAP, uniform(settings.seed(), SALT_GAP, x, col(J)))
          .withColumn(PICK, floor(uniform(settings.seed(), SALT_PICK, x, col(J)).multiply(size(col(NBS))))
              .plus(1).cast(DataTypes.IntegerType))
          .select(out.toArray(Column[]::new));

      log.info("SMOTE: minority {}={} has {} rows ({} distinct points, {} without a neighbour), majority {};"
          + " made {} synthetic rows to reach {}", labelCol, classes.minorityLabel(), classes.minorityRows(),
          distinctPoints, distinctPoints - withNeighbours, classes.majorityRows(), needed, target);
      return new Oversampled(data.unionByName(synthetic, true), cache ? neighbours : null);
    }
  }

  /**
   * One row per point with a neighbour: its array {@code X} and {@code NBS}, its up to k nearest
   * neighbours as (rank, array) structs sorted by rank.
   */
  private static Dataset<Row> neighbours(Dataset<Row> points, Settings settings) {
    BucketedRandomProjectionLSHModel lsh = new BucketedRandomProjectionLSH()
        .setInputCol(V)
        .setOutputCol(HASHES)
        .setBucketLength(settings.bucketLength())
        .setNumHashTables(settings.numHashTables())
        .setSeed(settings.seed())
        .fit(points);
    // No distance cut-off: the hash buckets decide who the candidates are.
    Dataset<Row> pairs = lsh.approxSimilarityJoin(points, points, Double.POSITIVE_INFINITY, DIST).toDF()
        .select(col("datasetA." + X).as(X), col("datasetB." + X).as(NB), col(DIST))
        .filter(col(X).notEqual(col(NB)));
    // Ties in distance are broken by the neighbour itself, so the choice does not depend on row order.
    return pairs
        .withColumn(RANK, row_number().over(Window.partitionBy(X).orderBy(col(DIST), col(NB))))
        .filter(col(RANK).leq(settings.k()))
        .groupBy(X)
        .agg(sort_array(collect_list(struct(col(RANK), col(NB)))).as(NBS));
  }

  /**
   * A uniform draw in [0, 1) that depends only on the seed and the row's content. {@code rand(seed)}
   * would depend on the row's partition and position, which after the neighbour join's shuffle are
   * not fixed, so the same seed could give different rows from one run to the next.
   */
  private static Column uniform(long seed, int salt, Column... parts) {
    Column[] in = new Column[parts.length + 2];
    in[0] = lit(seed);
    in[1] = lit(salt);
    System.arraycopy(parts, 0, in, 2, parts.length);
    return shiftrightunsigned(xxhash64(in), 11).cast(DataTypes.DoubleType).multiply(lit(0x1.0p-53));
  }

  private record ClassCounts(double minorityLabel, long minorityRows, long majorityRows) {}

  private static ClassCounts classCounts(Dataset<Row> data, String labelCol) {
    List<Row> rows = data.groupBy(col(labelCol)).count().collectAsList();
    List<Object> found = rows.stream().map(r -> r.get(0)).toList();
    TreeMap<Double, Long> counts = new TreeMap<>();
    for (Row r : rows) {
      Object label = r.get(0);
      double value = label == null ? Double.NaN : ((Number) label).doubleValue();
      if (value != 0.0 && value != 1.0) {
        throw new IllegalArgumentException("Cannot oversample label '" + labelCol
            + "': SMOTE needs a binary 0/1 label, found value " + label + " (all values: " + found + ")");
      }
      counts.put(value, r.getLong(1));
    }
    if (counts.size() < 2) {
      throw new IllegalArgumentException("Cannot oversample label '" + labelCol + "': "
          + (counts.isEmpty() ? "there are no rows" : "it has one class only (found: " + found + ")")
          + ", SMOTE needs both 0 and 1");
    }
    long zeros = counts.get(0.0);
    long ones = counts.get(1.0);
    // On a tie 1 is taken as the minority; with any target ratio <= 1 nothing is made then.
    double minority = ones <= zeros ? 1.0 : 0.0;
    return new ClassCounts(minority, Math.min(zeros, ones), Math.max(zeros, ones));
  }

  private static void checkColumns(StructType schema, String featuresCol, String labelCol, String weightCol) {
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String c : weightCol == null ? List.of(featuresCol, labelCol) : List.of(featuresCol, labelCol, weightCol)) {
      if (!names.contains(c)) {
        throw new IllegalArgumentException(
            "Cannot oversample: column '" + c + "' is missing (found: " + String.join(", ", names) + ")");
      }
    }
    DataType features = schema.apply(featuresCol).dataType();
    if (!features.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("Cannot oversample: features column '" + featuresCol
          + "' must be a vector, found " + features.simpleString());
    }
    DataType label = schema.apply(labelCol).dataType();
    if (!(label instanceof NumericType)) {
      throw new IllegalArgumentException("Cannot oversample: label column '" + labelCol
          + "' must be numeric, found " + label.simpleString());
    }
  }

  /** The inner estimator's weight column, if it has one set and the data has it. */
  private String weightCol(StructType schema) {
    if (!inner.hasParam("weightCol")) {
      return null;
    }
    Param<Object> param = inner.getParam("weightCol");
    if (!inner.isDefined(param)) {
      return null;
    }
    String name = (String) inner.getOrDefault(param);
    return name.isEmpty() || !Arrays.asList(schema.fieldNames()).contains(name) ? null : name;
  }
}

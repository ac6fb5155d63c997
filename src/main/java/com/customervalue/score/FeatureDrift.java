package com.customervalue.score;

import static com.customervalue.warehouse.Tables.field;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ln;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code feature_drift} table and its figures: how far the features of a scored snapshot have
 * moved from the snapshots a model was trained on, per feature.
 *
 * <p>The population stability index is {@code sum over buckets of (a - e) * ln(a / e)}, with
 * {@code e} the share of training rows and {@code a} the share of scored rows in the bucket, both
 * floored at {@link #EMPTY_BIN_SHARE} so an empty bucket counts as rare rather than infinite.
 * Numeric features are cut at the quantiles of their training values (bucket {@code i} holds the
 * values above cut point {@code i - 1} up to cut point {@code i}); categorical features have one
 * bucket per training category and one for every value never seen in training. Missing values
 * (null, and NaN for numbers) are a bucket of their own in both kinds, so a feature that starts
 * arriving empty shows up as drift too.
 *
 * <p>Everything is built-in Spark: the cut points of all numeric features come from one
 * {@code approxQuantile} call, and the bucket counts of every feature of both datasets from one
 * aggregation (each row stacked once per feature, counted conditionally per side), so the cost
 * does not grow by a job per feature.
 */
public final class FeatureDrift {
  public static final String NAME = "feature_drift";

  public static final String RUN_ID = "run_id";
  public static final String SCORE_DATE = "score_date";
  public static final String TARGET = "target";
  public static final String MODEL = "model";
  public static final String MODEL_RUN_ID = "model_run_id";
  public static final String FEATURE = "feature";
  public static final String KIND = "kind";
  public static final String PSI = "psi";
  public static final String UNSEEN_SHARE = "unseen_share";
  public static final String TRAINING_ROWS = "training_rows";
  public static final String SCORED_ROWS = "scored_rows";
  public static final String BINS = "bins";
  public static final String TRAINING_SNAPSHOTS = "training_snapshots";
  public static final String STATUS = "status";
  public static final String COMPUTED_AT = "computed_at";

  /** {@link #KIND} of a feature binned at its training quantiles. */
  public static final String NUMERIC = "numeric";
  /** {@link #KIND} of a feature compared category by category. */
  public static final String CATEGORICAL = "categorical";
  /** {@link #STATUS} of a feature within the thresholds. */
  public static final String OK = "ok";
  /** {@link #STATUS} of a feature above a threshold: worth retraining for. */
  public static final String WARN = "warn";

  /**
   * Share given to a bucket that holds no row of one side. Without it an empty bucket makes the
   * index infinite. 1e-4 (one row in ten thousand) is far below the share of any real bin, so it
   * changes nothing where both sides have rows, while a bucket holding 1% of one side and nothing
   * of the other still adds a visible 0.046.
   */
  static final double EMPTY_BIN_SHARE = 1e-4;
  /**
   * Relative error of the training quantiles. Cut points only need to split the training rows into
   * roughly equal bins; 1e-3 places each within 0.1% of the rows of the exact quantile.
   */
  static final double QUANTILE_RELATIVE_ERROR = 1e-3;

  public static final StructType SCHEMA = new StructType(new StructField[] {
      field(RUN_ID, DataTypes.StringType, "Run id of the score job that compared the features"),
      field(SCORE_DATE, DataTypes.DateType, "Snapshot scored (as_of of customer_features): the scored side"),
      field(TARGET, DataTypes.StringType, "Target of the model whose features are compared, e.g. returned"),
      field(MODEL, DataTypes.StringType, "The model: name, e.g. logistic or gbt/no_text"),
      field(MODEL_RUN_ID, DataTypes.StringType, "Train run that saved the model"),
      field(FEATURE, DataTypes.StringType, "customer_features column the model reads"),
      field(KIND, DataTypes.StringType, "numeric (binned at the training quantiles) or categorical"),
      field(PSI, DataTypes.DoubleType, "Population stability index of the scored against the training rows:"
          + " sum of (scored share - training share) x ln(scored share / training share) over the bins, empty"
          + " bins counted as 0.0001; 0 = same distribution, above 0.25 = a large shift"),
      field(UNSEEN_SHARE, DataTypes.DoubleType, "Categorical: share of scored rows whose value never occurs in the"
          + " training snapshots (nulls not counted); empty for numeric features"),
      field(TRAINING_ROWS, DataTypes.LongType, "Rows of the training snapshots compared"),
      field(SCORED_ROWS, DataTypes.LongType, "Rows of the scored snapshot compared"),
      field(BINS, DataTypes.IntegerType, "Buckets compared: numeric value bins plus the missing-value bin;"
          + " categorical training categories plus the unseen and the missing-value bucket"),
      field(TRAINING_SNAPSHOTS, DataTypes.createArrayType(DataTypes.DateType, true),
          "as_of dates of the snapshots the model was trained on: the training side"),
      field(STATUS, DataTypes.StringType, "warn when psi is above customer-value.score.drift.psi-warn or"
          + " unseen_share above score.drift.unseen-warn (time to retrain), else ok"),
      field(COMPUTED_AT, DataTypes.TimestampType, "When the score run started")});

  /** Working columns of the stacked rows. */
  private static final String TRAINING_SIDE = "_training";
  private static final String ENTRY = "_entry";
  private static final String VALUE = "_value";
  private static final String VALUE_BINS = "_value_bins";
  private static final String T = "_t";
  private static final String S = "_s";
  private static final String BUCKET = "_bucket";
  private static final String UNSEEN = "unseen";
  private static final String MISSING = "missing";

  private FeatureDrift() {}

  /**
   * Who the comparison is for: the columns of a feature_drift row that {@link #compare} does not
   * compute.
   *
   * @param runId the score run
   * @param scoreDate the scored snapshot
   * @param target the model's target
   * @param model the model's name
   * @param modelRunId the train run that saved it
   * @param trainingSnapshots the snapshots it was trained on
   * @param computedAt when the score run started
   */
  public record Subject(String runId, LocalDate scoreDate, String target, String model, String modelRunId,
      List<LocalDate> trainingSnapshots, Timestamp computedAt) {
    public Subject {
      trainingSnapshots = List.copyOf(trainingSnapshots);
    }
  }

  /**
   * Compares {@code scored} with {@code training} on the given features: one row per feature with
   * {@link #FEATURE}, {@link #KIND}, {@link #PSI}, {@link #UNSEEN_SHARE} (null for numeric features),
   * {@link #TRAINING_ROWS}, {@link #SCORED_ROWS} and {@link #BINS}, ordered by feature. Both datasets
   * must hold every feature and at least one row.
   *
   * @param bins the bins of a numeric feature before equal cut points are merged
   */
  public static Dataset<Row> compare(Dataset<Row> training, Dataset<Row> scored, List<String> numeric,
      List<String> categorical, int bins) {
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw new IllegalArgumentException("no feature to compare");
    }
    Map<String, double[]> cuts = cutPoints(training, numeric, bins);
    Dataset<Row> stacked = stacked(training, true, cuts, categorical)
        .unionByName(stacked(scored, false, cuts, categorical));
    Dataset<Row> counts = stacked
        .groupBy(col(ENTRY + "." + FEATURE).as(FEATURE), col(ENTRY + "." + KIND).as(KIND),
            col(ENTRY + "." + VALUE_BINS).as(VALUE_BINS), col(ENTRY + "." + VALUE).as(VALUE))
        .agg(count_if(col(TRAINING_SIDE)).as(T), count_if(col(TRAINING_SIDE).unary_$bang()).as(S));

    // Every row lands in exactly one bucket of each feature, so a feature's bucket counts add up to the rows.
    WindowSpec perFeature = Window.partitionBy(FEATURE);
    Column trainingRows = sum(col(T)).over(perFeature);
    Column scoredRows = sum(col(S)).over(perFeature);
    // A categorical value the training rows never had: all such values share one "unseen" bucket.
    Column bucket = when(col(VALUE).isNull(), lit(MISSING))
        .when(col(KIND).equalTo(CATEGORICAL).and(col(T).equalTo(0)), lit(UNSEEN))
        .otherwise(lit("value"));
    Dataset<Row> buckets = counts
        .withColumn(TRAINING_ROWS, trainingRows)
        .withColumn(SCORED_ROWS, scoredRows)
        .withColumn(BUCKET, bucket);
    Column e = share(col(T), col(TRAINING_ROWS));
    Column a = share(col(S), col(SCORED_ROWS));
    Column term = when(col(BUCKET).notEqual(UNSEEN), a.minus(e).multiply(ln(a.divide(e))));

    Dataset<Row> perColumn = buckets.groupBy(FEATURE, KIND)
        .agg(sum(term).as("_known"),
            sum(when(col(BUCKET).equalTo(UNSEEN), col(S)).otherwise(0L)).as("_unseen"),
            max(TRAINING_ROWS).as(TRAINING_ROWS), max(SCORED_ROWS).as(SCORED_ROWS),
            max(VALUE_BINS).as(VALUE_BINS),
            count_if(col(BUCKET).equalTo("value")).as("_categories"));
    Column unseenShare = share(col("_unseen"), col(SCORED_ROWS));
    // The unseen bucket is empty in training by definition: its share there is the floor.
    Column unseenTerm = unseenShare.minus(EMPTY_BIN_SHARE).multiply(ln(unseenShare.divide(EMPTY_BIN_SHARE)));
    Column isCategorical = col(KIND).equalTo(CATEGORICAL);
    return perColumn.select(
        col(FEATURE),
        col(KIND),
        coalesce(col("_known"), lit(0.0)).plus(unseenTerm).as(PSI),
        when(isCategorical, when(col(SCORED_ROWS).gt(0), col("_unseen").divide(col(SCORED_ROWS))))
            .cast(DataTypes.DoubleType).as(UNSEEN_SHARE),
        col(TRAINING_ROWS).cast(DataTypes.LongType).as(TRAINING_ROWS),
        col(SCORED_ROWS).cast(DataTypes.LongType).as(SCORED_ROWS),
        when(isCategorical, col("_categories").plus(2)).otherwise(col(VALUE_BINS).plus(1))
            .cast(DataTypes.IntegerType).as(BINS))
        .orderBy(FEATURE);
  }

  /**
   * The feature_drift rows of {@code compared} (the output of {@link #compare}): the subject's
   * columns added, a status of {@link #WARN} above either threshold, in {@link #SCHEMA} order.
   */
  public static Dataset<Row> rows(Dataset<Row> compared, Subject subject, double psiWarn, double unseenWarn) {
    Column warn = col(PSI).gt(psiWarn).or(coalesce(col(UNSEEN_SHARE).gt(unseenWarn), lit(false)));
    Column snapshots = array(subject.trainingSnapshots().stream().map(d -> lit(Date.valueOf(d)))
        .toArray(Column[]::new));
    List<Column> select = new ArrayList<>();
    for (StructField f : SCHEMA.fields()) {
      Column c = switch (f.name()) {
        case RUN_ID -> lit(subject.runId());
        case SCORE_DATE -> lit(Date.valueOf(subject.scoreDate()));
        case TARGET -> lit(subject.target());
        case MODEL -> lit(subject.model());
        case MODEL_RUN_ID -> lit(subject.modelRunId());
        case TRAINING_SNAPSHOTS -> snapshots;
        case STATUS -> when(warn, lit(WARN)).otherwise(lit(OK));
        case COMPUTED_AT -> lit(subject.computedAt());
        default -> col(f.name());
      };
      select.add(c.cast(f.dataType()).as(f.name(), f.metadata()));
    }
    return compared.select(select.toArray(Column[]::new));
  }

  /**
   * The distinct cut points of each numeric feature at the {@code 1/bins, ..., (bins-1)/bins}
   * quantiles of its training values (nulls and NaN ignored), from one pass over the rows. A
   * feature with no value has none.
   */
  static Map<String, double[]> cutPoints(Dataset<Row> training, List<String> numeric, int bins) {
    Map<String, double[]> cuts = new LinkedHashMap<>();
    if (numeric.isEmpty()) {
      return cuts;
    }
    double[] probabilities = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      probabilities[i - 1] = (double) i / bins;
    }
    // Positional names: approxQuantile resolves names as paths, and a feature name is not one.
    Column[] values = new Column[numeric.size()];
    String[] names = new String[numeric.size()];
    for (int i = 0; i < numeric.size(); i++) {
      names[i] = "_q" + i;
      values[i] = quoted(numeric.get(i)).cast(DataTypes.DoubleType).as(names[i]);
    }
    double[][] quantiles = training.select(values).stat().approxQuantile(names, probabilities,
        QUANTILE_RELATIVE_ERROR);
    for (int i = 0; i < numeric.size(); i++) {
      TreeSet<Double> distinct = new TreeSet<>();
      for (double q : quantiles[i]) {
        distinct.add(q);
      }
      cuts.put(numeric.get(i), distinct.stream().mapToDouble(Double::doubleValue).toArray());
    }
    return cuts;
  }

  /**
   * The bin of a number: 0 up to and including the first cut point, i above cut point i - 1 up to
   * cut point i, {@code cuts.length} above the last one; null for a missing value (null or NaN).
   */
  static Column bin(Column value, double[] cuts) {
    Column x = value.cast(DataTypes.DoubleType);
    Column bin = when(x.isNull().or(isnan(x)), lit(null).cast(DataTypes.IntegerType));
    for (int i = 0; i < cuts.length; i++) {
      bin = bin.when(x.leq(cuts[i]), lit(i));
    }
    return bin.otherwise(lit(cuts.length));
  }

  /** Each row of {@code rows} once per feature: the side, and the feature, its kind and bucket value. */
  private static Dataset<Row> stacked(Dataset<Row> rows, boolean training, Map<String, double[]> cuts,
      List<String> categorical) {
    List<Column> entries = new ArrayList<>();
    for (Map.Entry<String, double[]> numeric : cuts.entrySet()) {
      entries.add(entry(numeric.getKey(), NUMERIC, bin(quoted(numeric.getKey()), numeric.getValue()),
          numeric.getValue().length + 1));
    }
    for (String feature : categorical) {
      entries.add(entry(feature, CATEGORICAL, quoted(feature), null));
    }
    return rows.select(lit(training).as(TRAINING_SIDE), explode(array(entries.toArray(Column[]::new))).as(ENTRY));
  }

  private static Column entry(String feature, String kind, Column value, Integer valueBins) {
    return struct(lit(feature).as(FEATURE), lit(kind).as(KIND), value.cast(DataTypes.StringType).as(VALUE),
        lit(valueBins).cast(DataTypes.IntegerType).as(VALUE_BINS));
  }

  /** {@code count / total}, at least {@link #EMPTY_BIN_SHARE}; the floor when there are no rows at all. */
  private static Column share(Column count, Column total) {
    return greatest(when(total.gt(0), count.divide(total)).otherwise(lit(0.0)), lit(EMPTY_BIN_SHARE));
  }

  private static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.AppConfig;
import com.customervalue.config.TrainSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.CustomerFeaturesTable;
import com.customervalue.identity.Keyed;
import com.customervalue.warehouse.DeltaTables;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the train job learns from: rows with an id ({@link TrainColumns#ID}), a snapshot date
 * ({@link TrainColumns#AS_OF}, null for a prepared table), the feature columns and the targets.
 *
 * @param rows the rows
 * @param columns the feature columns by kind
 * @param targets target column -> true for 0/1 classification, false for regression
 * @param snapshots whether the rows come from several as_of dates (customer_features) or one table
 * @param inputs what was read: table or file -> Delta version (or "file")
 */
public record TrainingTable(Dataset<Row> rows, FeatureColumns columns, Map<String, Boolean> targets,
    boolean snapshots, Map<String, String> inputs) {
  private static final Logger log = LoggerFactory.getLogger(TrainingTable.class);

  /** Loads the configured input: the prepared table when {@code train.prepared.path} is set, else customer_features. */
  public static TrainingTable load(SparkSession spark, AppConfig config) {
    TrainSettings train = config.train();
    return train.prepared().isSet() ? prepared(spark, train) : customerFeatures(spark, config);
  }

  static TrainingTable customerFeatures(SparkSession spark, AppConfig config) {
    TrainSettings train = config.train();
    String path = config.warehouse().tablePath(CustomerFeaturesTable.NAME);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw new CustomerValueException("train: there is no customer_features table at " + path
          + "; run the features job first");
    }
    long version = DeltaTables.currentVersion(spark, path);
    Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(path);
    Set<String> nonFeatures = new HashSet<>(CustomerFeaturesTable.nonFeatureColumns());
    nonFeatures.addAll(train.excludeFeatures());
    Map<String, Boolean> targets = new LinkedHashMap<>();
    List<String> known = List.of(rows.columns());
    for (String target : train.targets()) {
      if (!known.contains(target) || !CustomerFeaturesTable.nonFeatureColumns().contains(target)
          || target.equals(CustomerFeaturesTable.labelledColumn())) {
        throw new CustomerValueException("train: target '" + target + "' is not a label of customer_features (labels: "
            + String.join(", ", labels()) + ")");
      }
      targets.put(target, CustomerFeaturesTable.classificationLabels().contains(target));
    }
    List<String> skipped = new ArrayList<>();
    FeatureColumns columns = FeatureColumns.of(rows.schema(), nonFeatures, train.text().enabled()
        ? train.text().columns() : List.of(), skipped);
    if (!train.text().enabled()) {
      columns = new FeatureColumns(columns.numeric(), columns.categorical().stream()
          .filter(c -> !train.text().columns().contains(c)).toList(), List.of());
    }
    if (!skipped.isEmpty()) {
      log.warn("train: columns of customer_features that are neither numbers nor text are not features: {}", skipped);
    }
    List<Column> select = new ArrayList<>();
    select.add(col(Keyed.ACCOUNT_KEY).as(TrainColumns.ID));
    select.add(col(com.customervalue.features.Snapshots.AS_OF).as(TrainColumns.AS_OF));
    select.add(col(Keyed.ACCOUNT_KEY_HASH));
    columns.all().forEach(c -> select.add(col(c)));
    targets.keySet().forEach(t -> select.add(col(t)));
    Map<String, String> inputs = Map.of(CustomerFeaturesTable.NAME, path + "@v" + version);
    log.info("train: customer_features version {}: {} numeric, {} categorical and {} text feature columns", version,
        columns.numeric().size(), columns.categorical().size(), columns.text().size());
    return new TrainingTable(rows.select(select.toArray(Column[]::new)), columns, targets, true, inputs);
  }

  private static List<String> labels() {
    return CustomerFeaturesTable.nonFeatureColumns().stream()
        .filter(c -> !c.equals(CustomerFeaturesTable.labelledColumn()) && !c.equals(CustomerFeaturesTable.RUN_ID))
        .filter(c -> !c.equals(Keyed.ACCOUNT_KEY) && !c.equals(Keyed.ACCOUNT_KEY_HASH)
            && !c.equals(com.customervalue.features.Snapshots.AS_OF))
        .toList();
  }

  static TrainingTable prepared(SparkSession spark, TrainSettings train) {
    TrainSettings.Prepared p = train.prepared();
    Dataset<Row> raw;
    try {
      raw = spark.read().format(p.format().name().toLowerCase(java.util.Locale.ROOT)).options(p.options()).load(p.path());
    } catch (Exception e) {
      // Spark reports a missing path or a bad format as an AnalysisException, checked but undeclared.
      throw new CustomerValueException("train: cannot read the prepared table " + p.path() + ": " + e.getMessage(), e);
    }
    List<String> found = List.of(raw.columns());
    List<String> needed = new ArrayList<>();
    needed.add(p.labelColumn());
    if (!p.idColumn().isBlank()) {
      needed.add(p.idColumn());
    }
    needed.addAll(p.numericColumns());
    for (String column : needed) {
      if (!found.contains(column)) {
        throw new CustomerValueException("train: the prepared table " + p.path() + " has no column '" + column
            + "' (found: " + String.join(", ", found) + ")");
      }
    }
    String target = p.labelColumn();
    Column id = p.idColumn().isBlank() ? org.apache.spark.sql.functions.monotonically_increasing_id().cast("string")
        : col(p.idColumn()).cast(DataTypes.StringType);
    Dataset<Row> rows = raw.withColumn(TrainColumns.ID, id)
        .withColumn(TrainColumns.AS_OF, lit(null).cast(DataTypes.DateType));
    Column rawLabel = trim(col(target).cast(DataTypes.StringType));
    rows = rows.withColumn(target, when(rawLabel.isNull(), lit(null).cast(DataTypes.IntegerType))
        .when(rawLabel.equalTo(p.positiveLabel()), 1).otherwise(0));
    for (String column : p.numericColumns()) {
      Column text = trim(col(column).cast(DataTypes.StringType));
      rows = rows.withColumn(column + "__unparsed", when(text.isNotNull().and(text.notEqual(""))
          .and(text.try_cast(DataTypes.DoubleType).isNull()), 1).otherwise(0))
          .withColumn(column, text.try_cast(DataTypes.DoubleType));
    }
    for (StructField f : rows.schema().fields()) {
      if (f.dataType() instanceof BooleanType) {
        rows = rows.withColumn(f.name(), col(f.name()).cast(DataTypes.DoubleType));
      }
    }
    if (!p.numericColumns().isEmpty()) {
      Row counts = rows.agg(sum(col(p.numericColumns().get(0) + "__unparsed")), p.numericColumns().stream().skip(1)
          .map(c -> sum(col(c + "__unparsed"))).toArray(Column[]::new)).first();
      for (int i = 0; i < p.numericColumns().size(); i++) {
        long bad = counts.isNullAt(i) ? 0 : counts.getLong(i);
        if (bad > 0) {
          log.warn("train: prepared table column '{}': {} values are not numbers; they are imputed", p.numericColumns().get(i),
              bad);
        }
      }
      rows = rows.drop(p.numericColumns().stream().map(c -> c + "__unparsed").toArray(String[]::new));
    }
    Set<String> nonFeatures = new HashSet<>(Set.of(TrainColumns.ID, TrainColumns.AS_OF, target));
    if (!p.idColumn().isBlank()) {
      nonFeatures.add(p.idColumn());
    }
    nonFeatures.addAll(p.excludeColumns());
    nonFeatures.addAll(train.excludeFeatures());
    List<String> skipped = new ArrayList<>();
    FeatureColumns columns = FeatureColumns.of(rows.schema(), nonFeatures,
        train.text().enabled() ? train.text().columns() : List.of(), skipped);
    if (!skipped.isEmpty()) {
      log.warn("train: prepared table columns that are neither numbers nor text are not features: {}", skipped);
    }
    List<Column> select = new ArrayList<>();
    select.add(col(TrainColumns.ID));
    select.add(col(TrainColumns.AS_OF));
    columns.all().forEach(c -> select.add(col(c)));
    select.add(col(target));
    log.info("train: prepared table {}: {} numeric, {} categorical and {} text feature columns, label '{}'", p.path(),
        columns.numeric().size(), columns.categorical().size(), columns.text().size(), target);
    return new TrainingTable(rows.select(select.toArray(Column[]::new)), columns, Map.of(target, true), false,
        Map.of("prepared", p.path()));
  }
}

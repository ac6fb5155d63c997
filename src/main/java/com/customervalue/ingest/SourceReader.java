package com.customervalue.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.SourceConfig;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.errors.Errors;
import com.customervalue.sources.FieldSpec;
import com.customervalue.warehouse.Lineage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a source: checks its path, reads its header or schema, and finds each contract column
 * through the configured mapping. Fails with the source, column and what was found when a
 * required column is missing. Reads nothing but headers and schemas.
 */
final class SourceReader {
  static final String CORRUPT = "_corrupt_record";
  private static final Logger log = LoggerFactory.getLogger(SourceReader.class);
  private static final String BOM = "\uFEFF";

  private final SparkSession spark;
  private final Configuration hadoopConf;
  private final Map<com.customervalue.sources.Source, String> skipped = new LinkedHashMap<>();

  SourceReader(SparkSession spark) {
    this.spark = spark;
    this.hadoopConf = spark.sessionState().newHadoopConf();
  }

  /** Opens the source, or returns empty for an optional source whose files are absent or empty. */
  Optional<RawSource> open(SourceConfig config) {
    String id = config.source().id();
    long bytes = inputBytes(config);
    if (bytes < 0) {
      if (config.source().isRequired()) {
        throw Errors.sourceUnreadable(id, config.path(), "no file matches the path", null);
      }
      log.warn("Source '{}' skipped: no file matches {}; the features it feeds are left out", id, config.path());
      skipped.put(config.source(), "no file matches the path " + config.path() + "; the features it feeds are left out");
      return Optional.empty();
    }
    if (bytes == 0) {
      if (config.source().isRequired()) {
        throw Errors.emptyRequiredSource(id, config.path());
      }
      log.warn("Source '{}' skipped: its files at {} are empty", id, config.path());
      skipped.put(config.source(), "its files at " + config.path() + " are empty; the features it feeds are left out");
      return Optional.empty();
    }
    try {
      return Optional.of(switch (config.format()) {
        case CSV -> openCsv(config);
        case JSON, PARQUET -> openStructured(config);
      });
    } catch (CustomerValueException e) {
      throw e;
    } catch (Exception e) {
      // Scala code throws checked exceptions undeclared (AnalysisException, SparkException).
      throw Errors.sourceUnreadable(id, config.path(), "Spark cannot read it as " + config.format().sparkName()
          + ": " + describe(e), e);
    }
  }

  /** Optional sources {@link #open} skipped, with why: recorded as warnings in data_quality. */
  Map<com.customervalue.sources.Source, String> skipped() {
    return skipped;
  }

  /** Total size of the files the path matches, or -1 when it matches none. */
  private long inputBytes(SourceConfig config) {
    Path path = new Path(config.path());
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        return -1;
      }
      long total = 0;
      for (FileStatus status : matches) {
        total += status.isDirectory() ? fs.getContentSummary(status.getPath()).getLength() : status.getLen();
      }
      return total;
    } catch (IOException | RuntimeException e) {
      throw Errors.sourceUnreadable(config.source().id(), config.path(), Errors.storageFailure(config.path(), e), e);
    }
  }

  private static String describe(Exception e) {
    return Errors.describe(e);
  }

  private DataFrameReader reader(SourceConfig config) {
    return spark.read().format(config.format().sparkName()).options(config.options());
  }

  /**
   * CSV columns are read by position as text, named c0..cN, so headers with spaces or dots need
   * no quoting; the header line only tells which position holds which user column.
   */
  private RawSource openCsv(SourceConfig config) {
    String[] header = reader(config).option("inferSchema", "false").load(config.path()).schema().fieldNames();
    if (header.length > 0 && header[0].startsWith(BOM)) {
      header[0] = header[0].substring(1);
    }
    StructType schema = new StructType();
    for (int i = 0; i < header.length; i++) {
      schema = schema.add("c" + i, DataTypes.StringType);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    Dataset<Row> frame = reader(config)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("enforceSchema", "true")
        .schema(schema)
        .load(config.path())
        .withColumn(Lineage.SOURCE_FILE, col("_metadata.file_path"));

    Map<String, Integer> positions = new LinkedHashMap<>();
    for (int i = 0; i < header.length; i++) {
      positions.putIfAbsent(header[i], i);
    }
    Map<String, Column> fields = new LinkedHashMap<>();
    Map<String, DataType> types = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (FieldSpec field : config.source().fields()) {
      String wanted = config.userColumn(field.name());
      Integer at = positions.get(wanted);
      if (at == null) {
        at = positions.entrySet().stream()
            .filter(e -> e.getKey().trim().equalsIgnoreCase(wanted.trim()))
            .map(Map.Entry::getValue).findFirst().orElse(null);
      }
      if (at != null) {
        fields.put(field.name(), col("c" + at));
        types.put(field.name(), DataTypes.StringType);
      } else {
        noteMissing(config, field, wanted, missing);
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.missingColumns(config.source().id(), missing, Arrays.asList(header), delimiterHint(config, header));
    }
    Column[] named = new Column[header.length];
    for (int i = 0; i < header.length; i++) {
      named[i] = col("c" + i).as(header[i].isEmpty() ? "_c" + i : header[i]);
    }
    Column corrupt = col(CORRUPT);
    Column raw = when(corrupt.isNotNull(), corrupt).otherwise(to_json(struct(named)));
    return new RawSource(config, frame, fields, types, corrupt, raw, col(Lineage.SOURCE_FILE));
  }

  /** A header read as one column that holds another separator: the file is not comma-separated. */
  private static String delimiterHint(SourceConfig config, String[] header) {
    if (header.length != 1) {
      return "";
    }
    for (String separator : List.of(";", "\t", "|", ",")) {
      if (header[0].contains(separator)) {
        return "the header is one column holding '" + (separator.equals("\t") ? "\\t" : separator)
            + "': set customer-value.sources." + config.source().id() + ".options.delimiter = \""
            + (separator.equals("\t") ? "\\t" : separator) + "\"";
      }
    }
    return "";
  }

  /** JSON and Parquet columns are found by name, nested fields by a dotted path. */
  private RawSource openStructured(SourceConfig config) {
    DataFrameReader reader = reader(config);
    if (config.format() == com.customervalue.config.SourceFormat.JSON) {
      // Values stay text until the contract's parser types them, so a bad value is quarantined
      // with the value itself rather than nulled by schema inference.
      reader = reader.option("primitivesAsString", "true")
          .option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", CORRUPT);
    }
    Dataset<Row> frame = reader.load(config.path()).withColumn(Lineage.SOURCE_FILE, col("_metadata.file_path"));
    StructType schema = frame.schema();
    Map<String, Column> fields = new LinkedHashMap<>();
    Map<String, DataType> types = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (FieldSpec field : config.source().fields()) {
      String wanted = config.userColumn(field.name());
      Optional<DataType> type = nestedType(schema, wanted.split("\\."));
      if (type.isPresent()) {
        fields.put(field.name(), col(quotePath(wanted)));
        types.put(field.name(), type.get());
      } else {
        noteMissing(config, field, wanted, missing);
      }
    }
    List<String> found = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(CORRUPT) && !f.name().equals(Lineage.SOURCE_FILE)) {
        found.add(f.name());
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.missingColumns(config.source().id(), missing, found);
    }
    Column record = to_json(struct(found.stream().map(n -> col(quoteName(n))).toArray(Column[]::new)));
    Column corrupt = Arrays.asList(schema.fieldNames()).contains(CORRUPT) ? col(CORRUPT) : lit(null).cast("string");
    Column raw = when(corrupt.isNotNull(), corrupt).otherwise(record);
    return new RawSource(config, frame, fields, types, corrupt, raw, col(Lineage.SOURCE_FILE));
  }

  private static void noteMissing(SourceConfig config, FieldSpec field, String wanted, List<String> missing) {
    if (field.required()) {
      missing.add("'" + field.name() + "'" + (wanted.equals(field.name()) ? "" : " (mapped to '" + wanted + "')"));
    } else {
      log.info("Source '{}': optional column '{}' ('{}') is not in the file; it stays empty",
          config.source().id(), field.name(), wanted);
    }
  }

  private static Optional<DataType> nestedType(StructType schema, String[] path) {
    DataType current = schema;
    for (String part : path) {
      if (!(current instanceof StructType struct)) {
        return Optional.empty();
      }
      Optional<StructField> next = Arrays.stream(struct.fields()).filter(f -> f.name().equals(part)).findFirst();
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get().dataType();
    }
    return Optional.of(current);
  }

  /** {@code customer.email} -> {@code `customer`.`email`}, so names with spaces resolve. */
  private static String quotePath(String dotted) {
    StringBuilder sb = new StringBuilder();
    for (String part : dotted.split("\\.")) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(quoteName(part));
    }
    return sb.toString();
  }

  private static String quoteName(String name) {
    return '`' + name.replace("`", "``") + '`';
  }
}

package com.customervalue.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.customervalue.clean.Silver;
import com.customervalue.config.AppConfig;
import com.customervalue.config.SourceConfig;
import com.customervalue.identity.Keyed;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.Job;
import com.customervalue.sources.Source;
import com.customervalue.warehouse.Tables;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The floor a stage is compared with: its inputs read once and counted ({@code scan}), and a group-by
 * count and sum per customer over its invoices input ({@code scan_aggregate}), the least work a
 * feature over invoices can cost.
 *
 * <p>Inputs: for ingest, the raw source files of every enabled source that has files, read with the
 * source's format and reader options (CSV as text: no parsing of values); for the other stages, the
 * warehouse tables the job declares it reads ({@link Job#inputTables}) that exist, whole (the harness
 * gives each run its own warehouse, so a table holds that run's rows only). The invoices input is the raw
 * invoices file for ingest, {@code bronze_invoices} for clean, {@code silver_invoices} for identity and
 * {@code keyed_invoices} (per {@code account_key}) for features and score.
 */
public final class ScanFloor {
  private final SparkSession spark;
  private final AppConfig config;

  public ScanFloor(SparkSession spark, AppConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** The inputs of a job by name (a source id or a table name), as the scan reads them. */
  public Map<String, Dataset<Row>> inputs(Job job) {
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    if (job.name().equals(IngestJob.NAME)) {
      for (SourceConfig source : config.sources().values()) {
        if (source.enabled() && hasFiles(source.path())) {
          inputs.put(source.source().id(), raw(source));
        }
      }
    } else {
      for (String table : job.inputTables(config)) {
        String path = config.warehouse().tablePath(table);
        if (DeltaTable.isDeltaTable(spark, path)) {
          inputs.put(table, spark.read().format("delta").load(path));
        }
      }
    }
    return inputs;
  }

  /** Rows of every input, counted one after the other; returns the total. */
  public long scan(Map<String, Dataset<Row>> inputs) {
    long rows = 0;
    for (Dataset<Row> input : inputs.values()) {
      rows += input.count();
    }
    return rows;
  }

  /**
   * Count and sum of quantity x unit price per customer over the stage's invoices input; empty for a
   * stage that reads no invoices (train, report). Raw files hold malformed numbers (ingest quarantines
   * them), so values are cast with {@code try_cast}: a bad one counts as null, not as a failure.
   */
  public Optional<Dataset<Row>> aggregate(Job job, Map<String, Dataset<Row>> inputs) {
    SourceConfig invoices = config.source(Source.INVOICES);
    String name = switch (job.name()) {
      case "ingest" -> Source.INVOICES.id();
      case "clean" -> Tables.bronze(Source.INVOICES);
      case "identity" -> Silver.table(Source.INVOICES);
      case "features", "score" -> Keyed.table(Source.INVOICES);
      default -> null;
    };
    if (name == null || !inputs.containsKey(name)) {
      return Optional.empty();
    }
    boolean raw = job.name().equals(IngestJob.NAME);
    Column customer = raw ? col(quoted(invoices.userColumn(Source.Invoices.CUSTOMER_ID)))
        : col(name.startsWith("keyed_") ? Keyed.ACCOUNT_KEY : Source.Invoices.CUSTOMER_ID);
    Column quantity = col(quoted(raw ? invoices.userColumn(Source.Invoices.QUANTITY) : Source.Invoices.QUANTITY));
    Column price = col(quoted(raw ? invoices.userColumn(Source.Invoices.UNIT_PRICE) : Source.Invoices.UNIT_PRICE));
    return Optional.of(inputs.get(name)
        .groupBy(customer.as("customer"))
        .agg(count(lit(1)).as("lines"), sum(quantity.try_cast("double").multiply(price.try_cast("double"))).as("spend")));
  }

  /**
   * Runs a query to the end without keeping its result: Spark's {@code noop} sink computes every column,
   * where {@code count()} on an aggregate would let the optimizer drop the sums.
   */
  public static void runFully(Dataset<Row> query) {
    query.write().format("noop").mode("overwrite").save();
  }

  private Dataset<Row> raw(SourceConfig source) {
    return spark.read().format(source.format().sparkName()).options(source.options()).load(source.path());
  }

  private boolean hasFiles(String path) {
    Path p = new Path(path);
    try {
      FileStatus[] matches = p.getFileSystem(spark.sessionState().newHadoopConf()).globStatus(p);
      return matches != null && matches.length > 0;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + path + " for the scan floor: " + e.getMessage(), e);
    }
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}

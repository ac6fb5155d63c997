package com.customervalue.cli;

import com.customervalue.config.AppConfig;
import com.customervalue.errors.Errors;
import com.customervalue.spark.SparkSessions;
import com.customervalue.warehouse.Catalog;
import com.customervalue.warehouse.WarehouseAccess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code query}: Spark SQL against the warehouse's output tables, printed as a text table. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Run one Spark SQL statement against the output tables and print the result. The tables are"
        + " registered under customer-value.warehouse.database, which is the current database, so"
        + " `SELECT * FROM customer_scores` works; any Delta table can also be read as delta.`<path>`.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the query failed."})
public final class QueryCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The statement, e.g. \"SELECT * FROM model_metrics\".")
  String sql;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the statement from this file instead.")
  Path file;

  @Option(names = "--max-rows", paramLabel = "N", defaultValue = "50",
      description = "Rows to print (default: ${DEFAULT-VALUE}); the output says when there are more.")
  int maxRows;

  @Override
  public Integer call() {
    String statement = statement();
    AppConfig config = common.loadConfig();
    SparkSession spark = SparkSessions.create(config.spark());
    try {
      WarehouseAccess.check(spark, config.warehouse());
      List<String> tables = Catalog.registerAll(spark, config.warehouse());
      spark.sql("USE `" + config.warehouse().database() + "`");
      Dataset<Row> result;
      try {
        result = spark.sql(statement);
      } catch (Exception e) {
        // Spark's AnalysisException (a checked exception the Scala API does not declare) says what is wrong.
        throw new com.customervalue.errors.CustomerValueException("query: " + Errors.firstLine(e)
            + (tables.isEmpty() ? " (no output table exists yet under " + config.warehouse().root() + ")"
            : " (tables: " + String.join(", ", tables) + ")"), e);
      }
      List<Row> rows = result.limit(maxRows + 1).collectAsList();
      PrintWriter out = spec.commandLine().getOut();
      TextTable.print(out, result.columns(), rows.subList(0, Math.min(rows.size(), maxRows)));
      out.println(rows.size() > maxRows ? "(first " + maxRows + " rows; --max-rows shows more)"
          : "(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
      out.flush();
    } finally {
      spark.stop();
    }
    return 0;
  }

  private String statement() {
    if ((sql == null) == (file == null)) {
      throw Errors.config("query: give the SQL statement either as the argument or with --file, not "
          + (sql == null ? "neither" : "both"));
    }
    if (file != null) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip().replaceAll(";$", "");
      } catch (IOException e) {
        throw Errors.config("query: cannot read --file " + file + ": " + e.getMessage());
      }
    }
    return sql.strip().replaceAll(";$", "");
  }
}

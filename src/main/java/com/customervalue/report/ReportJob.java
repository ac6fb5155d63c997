package com.customervalue.report;

import static org.apache.spark.sql.functions.col;

import com.customervalue.train.TrainTables;
import com.customervalue.config.AppConfig;
import com.customervalue.config.ReportSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.CustomerFeaturesTable;
import com.customervalue.features.Snapshots;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.score.CustomerScores;
import com.customervalue.spark.StageDescription;
import com.customervalue.warehouse.Catalog;
import com.customervalue.warehouse.DeltaTables;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report}: writes {@code segment_insights}, then runs every SQL cell of the exported
 * notebooks against the registered output tables and renders one self-contained HTML file with
 * their markdown, result tables and charts.
 */
public final class ReportJob implements Job {
  public static final String NAME = "report";
  /** Where the notebooks of notebooks-export/ sit in the jar. */
  static final String BUILT_IN_NOTEBOOKS = "com/customervalue/notebooks";
  private static final Logger log = LoggerFactory.getLogger(ReportJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputTables(AppConfig config) {
    return List.of(CustomerFeaturesTable.NAME, CustomerScores.NAME, TrainTables.MODEL_METRICS, TrainTables.FEATURE_IMPORTANCE);
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    ReportSettings settings = config.report();
    Map<String, Long> written = new LinkedHashMap<>();
    try (var stage = StageDescription.of(spark, "report: segment_insights")) {
      Dataset<Row> insights = SegmentInsights.compute(spark, newestLabelledSnapshot(spark, config),
          newestScores(spark, config), config.features().processes(), settings.topAtRisk(), context.runId(),
          context.startedAtTimestamp())
          .localCheckpoint(true);
      DeltaTables.replace(insights, config.warehouse().tablePath(SegmentInsights.NAME), List.of(), "run_id",
          context.runId());
      written.put(SegmentInsights.NAME, insights.count());
    }
    Catalog.registerAll(spark, config.warehouse());
    spark.sql("USE `" + config.warehouse().database() + "`");

    List<Notebook> notebooks = notebooks(spark, settings);
    List<Section> sections = new ArrayList<>();
    int cells = 0;
    for (Notebook notebook : notebooks) {
      try (var stage = StageDescription.of(spark, "report: notebook " + notebook.name())) {
        List<CellOutput> outputs = new ArrayList<>();
        for (Cell cell : notebook.cells()) {
          if (!cell.isSql()) {
            outputs.add(CellOutput.of(cell));
            continue;
          }
          outputs.add(CellOutput.of(cell, NotebookRunner.run(spark, notebook.name(), cell, settings.maxRows())));
          cells++;
        }
        sections.add(new Section(notebook.name(), outputs));
      }
      log.info("report: ran notebook {}", notebook.name());
    }
    String html = HtmlReport.render("customer-value report",
        "Run " + context.runId() + ", warehouse " + config.warehouse().root(), sections);
    String output = settings.output().orElse(config.warehouse().tablePath("report/report.html"));
    write(spark, output, html);
    log.info("report: wrote {} ({} notebooks, {} SQL cells)", output, notebooks.size(), cells);
    return new JobResult(NAME, written, List.of("", "Report: " + notebooks.size() + " notebooks, " + cells
        + " SQL cells, written to " + output));
  }

  /** customer_features at its newest labelled as_of, or null when no snapshot is labelled yet. */
  private static Dataset<Row> newestLabelledSnapshot(SparkSession spark, AppConfig config) {
    String path = config.warehouse().tablePath(CustomerFeaturesTable.NAME);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return null;
    }
    Dataset<Row> features = spark.read().format("delta").load(path)
        .where(col(CustomerFeaturesTable.labelledColumn()));
    Row newest = features.agg(org.apache.spark.sql.functions.max(Snapshots.AS_OF)).first();
    return newest.isNullAt(0) ? null : features.where(col(Snapshots.AS_OF).equalTo(newest.getDate(0)));
  }

  /** customer_scores at its newest score date, or null when nothing was scored yet. */
  private static Dataset<Row> newestScores(SparkSession spark, AppConfig config) {
    String path = config.warehouse().tablePath(CustomerScores.NAME);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return null;
    }
    Dataset<Row> scores = spark.read().format("delta").load(path);
    Row newest = scores.agg(org.apache.spark.sql.functions.max(CustomerScores.SCORE_DATE)).first();
    return newest.isNullAt(0) ? null
        : scores.where(col(CustomerScores.SCORE_DATE).equalTo(Date.valueOf(newest.getDate(0).toLocalDate())));
  }

  /** The configured folder's notebooks (any Hadoop file system), else the ones built into the jar; by name. */
  static List<Notebook> notebooks(SparkSession spark, ReportSettings settings) {
    List<Notebook> notebooks = new ArrayList<>();
    if (settings.notebooksDir().isPresent()) {
      Path dir = new Path(settings.notebooksDir().get());
      try {
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<FileStatus> files = new ArrayList<>(List.of(fs.listStatus(dir, p -> p.getName().endsWith(".sql"))));
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus f : files) {
          try (InputStream in = fs.open(f.getPath())) {
            notebooks.add(Notebook.parse(f.getPath().getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
        }
      } catch (IOException e) {
        throw new CustomerValueException("report: cannot read the notebooks in " + dir
            + " (customer-value.report.notebooks-dir): " + e.getMessage(), e);
      }
    } else {
      notebooks.addAll(builtInNotebooks());
    }
    if (notebooks.isEmpty()) {
      throw new CustomerValueException("report: there are no .sql notebooks in "
          + settings.notebooksDir().orElse("the jar (" + BUILT_IN_NOTEBOOKS + ")"));
    }
    return notebooks;
  }

  /** The notebooks packaged from notebooks-export/, read from the classes folder or from inside the jar. */
  public static List<Notebook> builtInNotebooks() {
    URL url = ReportJob.class.getClassLoader().getResource(BUILT_IN_NOTEBOOKS);
    if (url == null) {
      throw new CustomerValueException("report: the built-in notebooks (" + BUILT_IN_NOTEBOOKS + ") are missing"
          + " from the classpath; set customer-value.report.notebooks-dir");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (java.nio.file.FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return readAll(jar.getPath(BUILT_IN_NOTEBOOKS));
        }
      }
      return readAll(java.nio.file.Path.of(uri));
    } catch (IOException | URISyntaxException e) {
      throw new CustomerValueException("report: cannot read the built-in notebooks at " + url + ": "
          + e.getMessage(), e);
    }
  }

  private static List<Notebook> readAll(java.nio.file.Path dir) throws IOException {
    List<Notebook> notebooks = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      for (java.nio.file.Path f : files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList()) {
        notebooks.add(Notebook.parse(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    return notebooks;
  }

  private static void write(SparkSession spark, String output, String html) {
    Path file = new Path(output);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        out.write(html.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new CustomerValueException("report: cannot write the report to " + output + ": " + e.getMessage(), e);
    }
  }
}

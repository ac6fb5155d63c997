package com.customervalue.bench;

import com.customervalue.clean.CleanJob;
import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.errors.ConfigException;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.FeaturesJob;
import com.customervalue.identity.IdentityJob;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.Job;
import com.customervalue.job.JobRunner;
import com.customervalue.job.RunContext;
import com.customervalue.report.ReportJob;
import com.customervalue.score.ScoreJob;
import com.customervalue.spark.SparkSessions;
import com.customervalue.train.ModelFamily;
import com.customervalue.train.TrainJob;
import com.customervalue.warehouse.WarehouseAccess;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code jobs/benchmark.sh}, kept apart from the product's CLI: {@code stages} runs stages
 * in one SparkSession, each after a scan floor of its inputs, and appends the measurements to a CSV;
 * {@code replicate-online-retail} writes the enlarged Online Retail file. Exit codes as the CLI's.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {BenchMain.Stages.class, BenchMain.Replicate.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
  /** Stages the harness can time, in data-flow order. */
  static final Map<String, Job> JOBS = jobs();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BenchMain());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println(e.getMessage());
        return 2;
      }
      if (e instanceof CustomerValueException) {
        commandLine.getErr().println("Failed: " + e.getMessage());
        return 1;
      }
      // The stderr of a benchmark run is its log file: the whole trace belongs there.
      e.printStackTrace(commandLine.getErr());
      return 1;
    });
    System.exit(cli.execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  private static Map<String, Job> jobs() {
    Map<String, Job> jobs = new LinkedHashMap<>();
    for (Job job : List.of(new IngestJob(), new CleanJob(), new IdentityJob(), new FeaturesJob(), new TrainJob(),
        new ScoreJob(), new ReportJob())) {
      jobs.put(job.name(), job);
    }
    return jobs;
  }

  /** {@code stages}: times each stage and its scan floor in one session. */
  @Command(name = "stages", mixinStandardHelpOptions = true,
      description = "Run the given stages in order in one SparkSession; before each, time a scan of its inputs"
          + " (and a scan-and-aggregate of its invoices input). Prints and appends one CSV row per measurement.")
  static final class Stages implements Callable<Integer> {
    /** The pseudo-stage that times training fits against cross-validation (goal 4). */
    static final String TRAIN_COST = "train-cost";

    @Option(names = "--config", required = true, paramLabel = "FILE") Path config;
    @Option(names = "--run-id", defaultValue = "bench", paramLabel = "ID") String runId;
    @Option(names = "--stages", split = ",", required = true, paramLabel = "LIST") List<String> stages;
    @Option(names = "--mode", required = true, paramLabel = "MODE") String mode;
    @Option(names = "--size", required = true, paramLabel = "N") String size;
    @Option(names = "--csv", required = true, paramLabel = "FILE") Path csv;
    @Option(names = "--commit", defaultValue = "unknown", paramLabel = "SHA") String commit;
    @Option(names = "--driver-memory", paramLabel = "SIZE") String driverMemory;
    @Option(names = "--write-cost", description = "After each stage, time a Parquet and two Delta writes of the rows"
        + " it wrote to each table, and count its commits per table.") boolean writeCost;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      for (String stage : stages) {
        if (!JOBS.containsKey(stage) && !TRAIN_COST.equals(stage)) {
          throw new IllegalArgumentException("--stages: unknown stage '" + stage + "' (known: "
              + String.join(", ", JOBS.keySet()) + ", " + TRAIN_COST + ")");
        }
      }
      AppConfig app = ConfigLoader.load(Optional.of(config));
      RunContext context = new RunContext(runId, Optional.empty(), Instant.now());
      Recorder recorder = new Recorder(spec.commandLine().getOut(), new BenchCsv(csv), mode, size, commit,
          driverMemory != null ? driverMemory : (Runtime.getRuntime().maxMemory() >> 20) + "m");
      long start = System.nanoTime();
      SparkSession spark = SparkSessions.create(app.spark());
      try (HeapSampler heap = new HeapSampler(50)) {
        recorder.add("session", "session_start", (System.nanoTime() - start) / 1e9, -1, heap.peakBytes(),
            StageMetrics.Totals.NONE);
        WarehouseAccess.check(spark, app.warehouse());
        StageMetrics metrics = StageMetrics.register(spark.sparkContext());
        Timer timer = new Timer(spark, metrics, heap, recorder);
        ScanFloor floor = new ScanFloor(spark, app);
        WriteCost writes = writeCost ? new WriteCost(spark, app, csv.toAbsolutePath().getParent()
            .resolve("write-cost-scratch").toUri().toString()) : null;
        for (String stage : stages) {
          if (TRAIN_COST.equals(stage)) {
            measureTraining(spark, app, timer);
            continue;
          }
          Job job = JOBS.get(stage);
          Map<String, Dataset<Row>> inputs = floor.inputs(job);
          Map<String, Long> rows = new LinkedHashMap<>();
          timer.time(stage, "scan", () -> {
            for (Map.Entry<String, Dataset<Row>> input : inputs.entrySet()) {
              rows.put(input.getKey(), input.getValue().count());
            }
            return rows.values().stream().mapToLong(Long::longValue).sum();
          }, null);
          long inputRows = rows.values().stream().mapToLong(Long::longValue).sum();
          floor.aggregate(job, inputs).ifPresent(agg -> timer.time(stage, "scan_aggregate", () -> {
            ScanFloor.runFully(agg);
            return -1;
          }, invoiceRows(rows)));
          Map<String, Long> before = writes != null ? writes.versions() : Map.of();
          timer.time(stage, "stage", () -> {
            JobRunner.run(job, spark, app, context);
            return inputRows;
          }, null);
          if (writes != null) {
            measureWrites(stage, writes, WriteCost.commits(before, writes.versions()), timer);
          }
        }
      } finally {
        spark.stop();
      }
      spec.commandLine().getOut().printf("Appended %d rows to %s%n", recorder.rows.size(), csv);
      return 0;
    }

    /**
     * Per table the stage changed: a {@code commits} row (input_rows = the run's rows, note = the
     * commits), then {@code write_parquet}, {@code write_delta} (creates the table) and
     * {@code write_delta_rerun} (replaces the run's rows) of the same cached rows.
     */
    private void measureWrites(String stage, WriteCost writes, Map<String, Long> commits, Timer timer) {
      for (Map.Entry<String, Long> e : commits.entrySet()) {
        String table = e.getKey();
        Dataset<Row> rows = writes.runRows(table, runId);
        try {
          long n = rows.count(); // fills the cache, so the writes below time the write alone
          String note = "table=" + table;
          timer.recorder().addDerived(stage, "commits", 0, n, note + " commits=" + e.getValue());
          timer.time(stage, "write_parquet", () -> {
            writes.parquet(rows, table);
            return n;
          }, null, note);
          timer.time(stage, "write_delta", () -> {
            writes.delta(rows, table, runId);
            return n;
          }, null, note);
          timer.time(stage, "write_delta_rerun", () -> {
            writes.delta(rows, table, runId);
            return n;
          }, null, note);
        } finally {
          rows.unpersist();
        }
      }
      writes.clear();
    }

    /**
     * Goal 4: per classifier family of the config, a single fit on every training row and the product's
     * cross-validation of the same pipeline ({@code single_fit}, {@code cross_validation}; the note has the
     * fits, the trees and the out-of-time ROC-AUC, and for cross-validation its time over that many single
     * fits), and for tree ensembles the seconds per tree of the single fit ({@code per_tree}). Families that
     * can stop early are measured without and with early stopping.
     */
    private void measureTraining(SparkSession spark, AppConfig app, Timer timer) {
      String fraction = ConfigLoader.ROOT + ".train.early-stopping.validation-fraction = ";
      boolean configStops = app.train().earlyStopping().enabled();
      AppConfig plain = configStops ? ConfigLoader.load(Optional.of(config), fraction + "0") : app;
      AppConfig stopping = configStops ? app : ConfigLoader.load(Optional.of(config), fraction + "0.1");
      try (TrainCost cost = TrainCost.prepare(spark, plain, stopping)) {
        long rows = cost.trainingRows();
        for (String name : app.train().classifiers()) {
          ModelFamily family = ModelFamily.of(name, true);
          for (boolean early : cost.stopsEarly(family) ? List.of(false, true) : List.of(false)) {
            TrainCost.Outcome[] single = new TrainCost.Outcome[1];
            BenchRow fit = timer.measure(TRAIN_COST, "single_fit", () -> {
              single[0] = cost.singleFit(family, early);
              return new Measured(rows, single[0].note(name, early));
            }, rows);
            if (single[0].trees() > 0) {
              timer.recorder().addDerived(TRAIN_COST, "per_tree", fit.wallSeconds() / single[0].trees(), rows,
                  single[0].note(name, early));
            }
            timer.measure(TRAIN_COST, "cross_validation", () -> {
              long start = System.nanoTime();
              TrainCost.Outcome cv = cost.crossValidation(family, early);
              double ratio = (System.nanoTime() - start) / 1e9 / (cv.fits() * fit.wallSeconds());
              return new Measured(rows, cv.note(name, early)
                  + String.format(Locale.ROOT, " vs_single_fits=%.2f", ratio));
            }, rows);
          }
        }
      }
    }

    /** Rows of the invoices input: the one named invoices, bronze_invoices, silver_invoices or keyed_invoices. */
    private static Long invoiceRows(Map<String, Long> rows) {
      return rows.entrySet().stream().filter(e -> e.getKey().endsWith("invoices"))
          .map(Map.Entry::getValue).findFirst().orElse(-1L);
    }
  }

  /** Runs one measurement with the heap and the task metrics reset around it. */
  private record Timer(SparkSession spark, StageMetrics metrics, HeapSampler heap, Recorder recorder) {
    void time(String stage, String measure, LongSupplier work, Long knownRows) {
      time(stage, measure, work, knownRows, "");
    }

    void time(String stage, String measure, LongSupplier work, Long knownRows, String note) {
      measure(stage, measure, () -> new Measured(work.getAsLong(), note), knownRows);
    }

    /** Runs {@code work}, whose result carries the note, and records it; returns the row. */
    BenchRow measure(String stage, String measure, Supplier<Measured> work, Long knownRows) {
      var context = spark.sparkContext();
      metrics.begin();
      // A collection first, so the peak is this measurement's heap, not garbage left by the one before.
      System.gc();
      heap.reset();
      context.setJobDescription("bench: " + stage + " " + measure);
      long start = System.nanoTime();
      Measured result;
      try {
        result = work.get();
      } finally {
        context.setJobDescription(null);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long peakHeap = heap.peakBytes();
      return recorder.add(stage, measure, seconds, knownRows != null ? knownRows : result.rows(), peakHeap,
          metrics.end(), result.note());
    }
  }

  /** What a measured piece of work returns: its rows (-1 when not known) and the row's note. */
  private record Measured(long rows, String note) {}

  /** Prints each row as it is measured and appends it to the CSV at once, so a failed stage keeps the rows before it. */
  private static final class Recorder {
    final PrintWriter out;
    final BenchCsv csv;
    final String mode;
    final String size;
    final String commit;
    final String driverMemory;
    final String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    final int cores = Runtime.getRuntime().availableProcessors();
    final double memoryGib = totalMemoryGib();
    final List<BenchRow> rows = new ArrayList<>();

    Recorder(PrintWriter out, BenchCsv csv, String mode, String size, String commit, String driverMemory) {
      this.out = out;
      this.csv = csv;
      this.mode = mode;
      this.size = size;
      this.commit = commit;
      this.driverMemory = driverMemory;
    }

    void add(String stage, String measure, double seconds, long inputRows, long peakHeap, StageMetrics.Totals t) {
      add(stage, measure, seconds, inputRows, peakHeap, t, "");
    }

    BenchRow add(String stage, String measure, double seconds, long inputRows, long peakHeap, StageMetrics.Totals t,
        String note) {
      return add(stage, measure, seconds, inputRows, peakHeap, t, note, false);
    }

    /**
     * A row computed from other rows (a commit count, seconds per tree): it ran no work of its own, so it has
     * no heap and no task time (both print as "-").
     */
    void addDerived(String stage, String measure, double value, long inputRows, String note) {
      add(stage, measure, value, inputRows, -1, StageMetrics.Totals.NONE, note, true);
    }

    private BenchRow add(String stage, String measure, double seconds, long inputRows, long peakHeap,
        StageMetrics.Totals t, String note, boolean derived) {
      BenchRow row = new BenchRow(date, cores, memoryGib, commit, mode, size, stage, measure, seconds, inputRows,
          peakHeap, t.shuffleReadBytes(), t.shuffleWriteBytes(), t.spillBytes(), t.peakExecutionMemory(),
          derived ? -1 : t.taskBusyMillis() / 1000.0, driverMemory, note);
      rows.add(row);
      csv.append(List.of(row));
      out.printf(Locale.ROOT, "[bench] %-13s %-8s %-9s %-14s %9.2f s %12d rows %11.0f rows/s heap %7s MiB"
              + " shuffle %9.1f MiB no-task %6s %s%n", mode, size, stage, measure, seconds, inputRows,
          row.rowsPerSecond(), peakHeap < 0 ? "-" : String.valueOf(peakHeap >> 20),
          (t.shuffleReadBytes() + t.shuffleWriteBytes()) / 1048576.0,
          row.noTaskShare() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", row.noTaskShare() * 100), note);
      out.flush();
      return row;
    }

    private static double totalMemoryGib() {
      var os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        return sun.getTotalMemorySize() / (1024.0 * 1024.0 * 1024.0);
      }
      return -1;
    }
  }

  /** {@code replicate-online-retail}: writes N copies of the Online Retail file as gzip CSV part files. */
  @Command(name = "replicate-online-retail", mixinStandardHelpOptions = true,
      description = "Write N copies of the Online Retail CSV (customer ids offset, invoice numbers suffixed per copy).")
  static final class Replicate implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "Config whose Spark settings the session uses.") Path config;
    @Option(names = "--input", required = true, paramLabel = "FILE") String input;
    @Option(names = "--copies", required = true, paramLabel = "N") int copies;
    @Option(names = "--output", required = true, paramLabel = "DIR") String output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      AppConfig app = ConfigLoader.load(Optional.of(config));
      SparkSession spark = SparkSessions.create(app.spark());
      try {
        long start = System.nanoTime();
        spark.sparkContext().setJobDescription("bench: replicate Online Retail x" + copies);
        OnlineRetailReplica.write(OnlineRetailReplica.replicate(OnlineRetailReplica.read(spark, input), copies), output);
        long lines = OnlineRetailReplica.read(spark, output).count();
        spec.commandLine().getOut().printf(Locale.ROOT, "Wrote %d lines (%d copies) to %s in %.1f s%n", lines, copies,
            output, (System.nanoTime() - start) / 1e9);
      } finally {
        spark.stop();
      }
      return 0;
    }
  }
}

package com.customervalue.cli;

import com.customervalue.config.AppConfig;
import com.customervalue.config.SampleSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.errors.Errors;
import com.customervalue.sample.SampleGenerator;
import com.customervalue.sample.SampleSpec;
import com.customervalue.sample.SampleSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate-sample}: writes the seven sources of a simulated company, with planted effects. */
@Command(name = "generate-sample", mixinStandardHelpOptions = true,
    description = {"Write a simulated company's seven source files (and truth/ with the true return"
        + " probabilities) in the formats real exports have, messy on purpose. Needs no Spark.",
        "Defaults come from the config's customer-value.sample section.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class GenerateSampleCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file overriding the defaults.")
  Path config;

  @Option(names = "--output-dir", paramLabel = "DIR", description = "Folder to write into.")
  Path outputDir;

  @Option(names = "--customers", paramLabel = "N", description = "Number of accounts to simulate.")
  Integer customers;

  @Option(names = "--years", paramLabel = "N", description = "Years of history.")
  Integer years;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed; the same seed writes identical files.")
  Long seed;

  @Option(names = "--start-date", paramLabel = "DATE", description = "First simulated day, yyyy-MM-dd.")
  LocalDate startDate;

  @Option(names = "--truth-as-of", paramLabel = "DATE", split = ",",
      description = "as_of dates for the true return probabilities, comma separated.")
  List<LocalDate> truthAsOf;

  @Option(names = "--parts", paramLabel = "N", defaultValue = "1",
      description = {"Simulate the accounts in N slices, one at a time, and write each source as a folder of N"
          + " part files (read by Spark as one source under the same path). The generator holds one slice in"
          + " memory instead of every account: use about one part per 100,000 accounts. Default: ${DEFAULT-VALUE}."})
  int parts;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    AppConfig app = new CommonOptions().withConfig(config).loadConfig();
    SampleSettings s = app.sample();
    SampleSpec sampleSpec;
    try {
      sampleSpec = new SampleSpec(
          outputDir != null ? outputDir : Path.of(s.outputDir()),
          customers != null ? customers : s.customers(),
          years != null ? years : s.years(),
          seed != null ? seed : s.seed(),
          startDate != null ? startDate : s.startDate(),
          app.snapshots().horizonDays(),
          truthAsOf != null ? truthAsOf : s.truthAsOf(),
          parts);
    } catch (IllegalArgumentException e) {
      throw Errors.config(e.getMessage());
    }
    SampleSummary summary;
    try {
      summary = SampleGenerator.generate(sampleSpec);
    } catch (IOException e) {
      throw new CustomerValueException("Cannot write the sample to " + sampleSpec.outputDir() + ": " + e, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Sample written to %s%n", summary.outputDir());
    for (Map.Entry<String, Long> e : summary.rowsPerFile().entrySet()) {
      out.printf("  %-36s %10d rows%n", e.getKey(), e.getValue());
    }
    out.flush();
    return 0;
  }
}

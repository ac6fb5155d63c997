package com.customervalue.cli;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.errors.Errors;
import com.customervalue.job.RunContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every job subcommand takes. */
public final class CommonOptions {
  private static final DateTimeFormatter DEFAULT_RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (HOCON) overriding the built-in defaults, e.g. conf/local.conf.")
  Path config;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Run id; re-running with the same id replaces that run's rows. Default: the UTC start time.")
  String runId;

  CommonOptions withConfig(Path file) {
    this.config = file;
    return this;
  }

  /** Loads and validates the configuration; throws before any SparkSession exists. */
  AppConfig loadConfig() {
    return ConfigLoader.load(Optional.ofNullable(config));
  }

  RunContext context(Optional<LocalDate> asOf) {
    Instant now = Instant.now();
    String id = runId != null ? runId : DEFAULT_RUN_ID.format(now);
    try {
      return new RunContext(id, asOf, now);
    } catch (IllegalArgumentException e) {
      throw Errors.config("--run-id: " + e.getMessage());
    }
  }
}

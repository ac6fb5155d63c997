package com.customervalue.badinput;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One named case of the bad-input catalogue: the source it is about, the input (files written under
 * the case's input folder and configuration), the stages run, and the expected outcome with what
 * proves it. Built fluently in {@link Catalogue}; run and checked by {@link Harness}.
 */
final class BadInputCase {
  /** What the product must do with the input. */
  enum Outcome {
    /** A clear error before any table is written or changed. */
    REFUSED("refused before any write"),
    /** The bad rows go to quarantine with a reason; the good rows are kept; the run goes on. */
    QUARANTINED("quarantined, run goes on"),
    /** Rows a clean rule removes on purpose (exact copies), counted per rule; the run goes on. */
    REMOVED("removed by a named rule and counted, run goes on"),
    /** A data-quality limit stops the run: quarantine and data_quality are kept as evidence, no bronze table. */
    STOPPED("stopped by a data-quality limit, evidence kept, no bronze"),
    /** Looks wrong but is valid: kept as the contract says (normalised, or skipped and recorded). */
    ACCEPTED("accepted as valid, run goes on");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  /** The last stage run; the stages before it run first, in order. */
  enum Stage { CONFIG, INGEST, CLEAN, IDENTITY, FEATURES, TRAIN }

  /** Prepared warehouses some cases start from instead of input files. */
  enum Fixture { NONE, ONE_CUSTOMER, LABELS_ALL_ONE_IN_TRAINING, LABELS_ALL_ZERO_OUT_OF_TIME }

  /** A quarantine row the case expects: stage, source, reason code, column and the value (null when none). */
  record Quarantined(String stage, String source, String reasonCode, String column, String value) {
    @Override
    public String toString() {
      return stage + "/" + source + "/" + reasonCode + "/" + column + "/" + excerpt(value);
    }

    static String excerpt(String value) {
      return value == null || value.length() <= 60 ? value : value.substring(0, 60) + "...(" + value.length() + ")";
    }
  }

  final String name;
  final String source;
  String input = "";
  Outcome outcome;
  Stage stage = Stage.INGEST;
  Fixture fixture = Fixture.NONE;
  LocalDate asOf;
  final Map<String, byte[]> files = new LinkedHashMap<>();
  final List<String> config = new ArrayList<>();
  /** Sources ingested besides invoices (which is always read: it is required). */
  final List<String> sources = new ArrayList<>();
  boolean defaultInvoices = true;
  /** S3 cases: the source path is an s3a:// URL made by the harness. */
  String s3 = null;

  Class<? extends Throwable> error;
  final List<String> mentions = new ArrayList<>();
  final List<String> mustNotMention = new ArrayList<>();
  int exitCode = -1;

  final List<Quarantined> quarantined = new ArrayList<>();
  /** table -> the key values of the rows it must hold for the run (exactly). */
  final Map<String, List<String>> kept = new LinkedHashMap<>();
  /** clean rule -> rows it removes. */
  final Map<String, Long> removed = new LinkedHashMap<>();
  /** source -> rows read by ingest. */
  final Map<String, Long> read = new LinkedHashMap<>();
  final List<Consumer<Harness.Result>> checks = new ArrayList<>();

  private BadInputCase(String source, String name) {
    this.source = source;
    this.name = name;
  }

  static BadInputCase of(String source, String name) {
    BadInputCase c = new BadInputCase(source, name);
    if (!source.equals("invoices") && !source.equals("config") && !source.equals("customer_features")) {
      c.sources.add(source);
    }
    return c;
  }

  BadInputCase input(String description) {
    this.input = description;
    return this;
  }

  BadInputCase file(String path, String... lines) {
    return bytes(path, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  BadInputCase bytes(String path, byte[] content) {
    files.put(path, content);
    if (path.startsWith("invoices.")) {
      defaultInvoices = false;
    }
    return this;
  }

  /** Extra HOCON under the root (keys start with {@code customer-value.}). */
  BadInputCase config(String hocon) {
    config.add(hocon);
    return this;
  }

  BadInputCase also(String otherSource) {
    sources.add(otherSource);
    return this;
  }

  BadInputCase noInvoices() {
    defaultInvoices = false;
    return this;
  }

  BadInputCase through(Stage last) {
    this.stage = last;
    return this;
  }

  BadInputCase fixture(Fixture f) {
    this.fixture = f;
    return this;
  }

  BadInputCase asOf(String date) {
    this.asOf = LocalDate.parse(date);
    return this;
  }

  BadInputCase onS3(String kind) {
    this.s3 = kind;
    return this;
  }

  /** Outcome {@link Outcome#REFUSED}: {@code type} thrown, its message naming every one of {@code mentions}. */
  BadInputCase refused(Class<? extends Throwable> type, String... mentions) {
    this.outcome = Outcome.REFUSED;
    this.error = type;
    this.mentions.addAll(List.of(mentions));
    return this;
  }

  /** Outcome {@link Outcome#REFUSED} by the command line: exit code and what stderr must name. */
  BadInputCase refusedByCli(int exit, String... mentions) {
    this.outcome = Outcome.REFUSED;
    this.exitCode = exit;
    this.mentions.addAll(List.of(mentions));
    return this;
  }

  BadInputCase stopped(Class<? extends Throwable> type, String... mentions) {
    refused(type, mentions);
    this.outcome = Outcome.STOPPED;
    return this;
  }

  BadInputCase notMentioning(String... secrets) {
    mustNotMention.addAll(List.of(secrets));
    return this;
  }

  /** Expects one quarantine row of {@code stage} for the case's source. */
  BadInputCase quarantines(String stage, String reasonCode, String column, String value) {
    return quarantinesFrom(source, stage, reasonCode, column, value);
  }

  BadInputCase quarantinesFrom(String fromSource, String stage, String reasonCode, String column, String value) {
    if (outcome == null) {
      outcome = Outcome.QUARANTINED;
    }
    quarantined.add(new Quarantined(stage, fromSource, reasonCode, column, value));
    return this;
  }

  BadInputCase keeps(String table, String... keys) {
    kept.put(table, List.of(keys));
    return this;
  }

  BadInputCase removes(String rule, long rows) {
    if (outcome == null) {
      outcome = Outcome.REMOVED;
    }
    removed.put(rule, rows);
    return this;
  }

  BadInputCase reads(String fromSource, long rows) {
    read.put(fromSource, rows);
    return this;
  }

  BadInputCase accepted() {
    outcome = Outcome.ACCEPTED;
    return this;
  }

  BadInputCase check(Consumer<Harness.Result> check) {
    checks.add(check);
    return this;
  }

  @Override
  public String toString() {
    return source + ": " + name + " -> " + (outcome == null ? "?" : outcome.label);
  }
}

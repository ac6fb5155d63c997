package com.customervalue.config;

import com.customervalue.errors.Errors;
import com.customervalue.sources.FieldSpec;
import com.customervalue.sources.Source;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads and validates the configuration before any SparkSession exists. Every problem found is
 * collected and reported together, each naming the key, the value and what was expected.
 * Precedence: system properties, then the {@code --config} file, then the built-in defaults
 * ({@code conf/application.conf}).
 */
public final class ConfigLoader {
  /** Root of every key this product reads. */
  public static final String ROOT = "customer-value";

  private static final String DEFAULTS_RESOURCE = "com/customervalue/application.conf";
  /** Subtrees whose keys are free-form: reader options and Spark properties. */
  private static final Set<String> FREE_FORM = Set.of("options", "properties", "columns", "exchange-rates", "grid");
  private static final Pattern SECRET_KEY =
      Pattern.compile("(secret|password|passwd|token|access\\.key|access-key|session\\.key)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** The smallest training-row cap: below it a sample could leave a fold without a class. */
  private static final int MIN_TRAINING_ROWS_CAP = 1_000;

  private ConfigLoader() {}

  /** Loads the defaults, overlaid by {@code file} when given, overlaid by system properties. */
  public static AppConfig load(Optional<Path> file) {
    Config user = file.map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
    Config system = ConfigFactory.systemProperties().withOnlyPath(ROOT);
    return load(defaults(), user, system, file.map(Path::toString).orElse("system properties"));
  }

  /**
   * Loads like {@link #load(Optional)}, with {@code overrides} (HOCON text, keys under
   * {@code customer-value}) taking precedence over the file; for tests and embedding.
   */
  public static AppConfig load(Optional<Path> file, String overrides) {
    Config user = file.map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
    Config extra;
    try {
      extra = ConfigFactory.parseString(overrides);
    } catch (com.typesafe.config.ConfigException e) {
      throw Errors.config(e.getMessage());
    }
    return load(defaults(), extra.withFallback(user), ConfigFactory.empty(),
        file.map(Path::toString).orElse("overrides"));
  }

  private static Config defaults() {
    return ConfigFactory.parseResources(
        ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** Validates {@code defaults <- user <- system}. */
  static AppConfig load(Config defaults, Config user, Config system, String userOrigin) {
    List<String> problems = new ArrayList<>();
    checkKeys(user, defaults, userOrigin, true, problems);
    checkKeys(system, defaults, "system properties", false, problems);
    Config merged;
    try {
      merged = system.withFallback(user).withFallback(defaults).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      problems.add(e.getMessage());
      throw Errors.config(problems);
    }
    AppConfig config = new Parser(merged.getConfig(ROOT), problems).parse();
    if (!problems.isEmpty()) {
      throw Errors.config(problems);
    }
    return config;
  }

  /** Parses a configuration given as HOCON text over the defaults; for tests and examples. */
  public static AppConfig loadFromString(String hocon) {
    return load(Optional.empty(), hocon);
  }

  private static Config parseFile(Path file) {
    File f = file.toFile();
    if (!f.isFile()) {
      throw Errors.config("config file " + file + " does not exist or is not a file");
    }
    try {
      return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw Errors.config("cannot parse " + file + ": " + e.getMessage());
    }
  }

  private static void checkKeys(
      Config overlay, Config defaults, String origin, boolean strictTopLevel, List<String> problems) {
    for (Map.Entry<String, ConfigValue> entry : overlay.entrySet()) {
      List<String> path = ConfigUtil.splitPath(entry.getKey());
      String where = entry.getValue().origin().lineNumber() > 0
          ? entry.getValue().origin().description()
          : origin;
      if (!path.get(0).equals(ROOT)) {
        if (strictTopLevel) {
          problems.add("unknown top-level key '" + path.get(0) + "' (" + where + "): every setting lives under '"
              + ROOT + "'");
        }
        continue;
      }
      if (SECRET_KEY.matcher(entry.getKey()).find() && !entry.getKey().contains("credentials.provider")) {
        problems.add("key '" + entry.getKey() + "' (" + where + ") looks like a secret: secrets never come from"
            + " config files; use the AWS credential chain (instance profile, environment, ~/.aws)");
        continue;
      }
      int freeFormAt = -1;
      for (int i = 1; i < path.size(); i++) {
        if (FREE_FORM.contains(path.get(i))) {
          freeFormAt = i;
          break;
        }
      }
      List<String> checked = freeFormAt > 0 ? path.subList(0, freeFormAt + 1) : path;
      String checkedKey = ConfigUtil.joinPath(checked);
      if (!defaults.hasPathOrNull(checkedKey)) {
        problems.add("unknown key '" + ConfigUtil.joinPath(path) + "' (" + where + "); " + knownSiblings(defaults, checked));
      }
    }
  }

  private static String knownSiblings(Config defaults, List<String> path) {
    for (int depth = path.size() - 1; depth >= 1; depth--) {
      String parent = ConfigUtil.joinPath(path.subList(0, depth));
      if (defaults.hasPath(parent) && defaults.getValue(parent).valueType() == ConfigValueType.OBJECT) {
        Set<String> keys = new TreeSet<>(defaults.getObject(parent).keySet());
        return "known keys under '" + parent + "': " + String.join(", ", keys);
      }
    }
    return "see conf/application.conf for every key";
  }

  /** Reads typed values, collecting a problem per bad key instead of stopping at the first. */
  private static final class Parser {
    private final Config c;
    private final List<String> problems;

    Parser(Config c, List<String> problems) {
      this.c = c;
      this.problems = problems;
    }

    AppConfig parse() {
      String inputRoot = nonEmptyString("input-root");
      var warehouse = new WarehouseSettings(nonEmptyString("warehouse.root"), database("warehouse.database"),
          Boolean.TRUE.equals(bool("warehouse.register")), Boolean.TRUE.equals(bool("warehouse.symlink-manifest")));
      var spark = new SparkSettings(
          nonEmptyString("spark.app-name"), nonEmptyString("spark.default-master"), stringMap("spark.properties"));
      var ingest = new IngestSettings(
          fraction("ingest.max-quarantine-fraction"), fraction("ingest.max-unkeyed-invoice-fraction"));
      var clean = clean();
      String hashKeyEnv = nonEmptyString("identity.hash-key-env");
      if (hashKeyEnv != null && !hashKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        problems.add(describe("identity.hash-key-env") + ": expected the name of an environment variable");
      }
      List<String> extraFreeMail = strings("identity.extra-free-mail-domains");
      try {
        com.customervalue.identity.keys.FreeMailDomains.shipped().with(extraFreeMail);
      } catch (IllegalArgumentException e) {
        problems.add(describe("identity.extra-free-mail-domains") + ": " + e.getMessage());
      }
      var identity = new IdentitySettings(extraFreeMail, hashKeyEnv);
      String rangeStart = string("snapshots.range-start");
      Optional<LocalDate> start = Optional.empty();
      if (rangeStart != null && !rangeStart.isBlank()) {
        start = Optional.ofNullable(date("snapshots.range-start"));
      }
      String step = string("snapshots.step");
      if (step != null && !step.equals("monthly") && !step.equals("quarterly")) {
        problems.add(describe("snapshots.step") + ": expected monthly or quarterly");
      }
      var snapshots = new SnapshotSettings(intIn("snapshots.horizon-days", 1, 3660),
          intIn("snapshots.lookback-days", 1, 36600), dates("snapshots.as-of"), start, "monthly".equals(step));
      var features = new FeatureConfig(
          doubleIn("features.office-latitude", -90, 90), doubleIn("features.office-longitude", -180, 180),
          doubleIn("features.support-cost-per-day", 0, 1e9), intIn("features.top-tier", 1, 100),
          strings("features.processes"));
      var sample = new SampleSettings(
          nonEmptyString("sample.output-dir"),
          intIn("sample.customers", 10, 10_000_000),
          intIn("sample.years", 1, 10),
          date("sample.start-date"),
          longValue("sample.seed"),
          dates("sample.truth-as-of"));
      Map<Source, SourceConfig> sources = new EnumMap<>(Source.class);
      for (Source source : Source.values()) {
        SourceConfig sc = source(source, inputRoot);
        if (sc != null) {
          sources.put(source, sc);
        }
      }
      return new AppConfig(inputRoot, warehouse, spark, ingest, clean, identity, snapshots, features, lifetime(),
          train(),
          score(), report(), sample, sources);
    }

    private LifetimeSettings lifetime() {
      String l = "lifetime.";
      String unit = choice(l + "time-unit", LifetimeSettings.TimeUnit.ids());
      LifetimeSettings.TimeUnit timeUnit = unit == null || !LifetimeSettings.TimeUnit.ids().contains(unit)
          ? LifetimeSettings.TimeUnit.WEEKS : LifetimeSettings.TimeUnit.valueOf(unit.toUpperCase(Locale.ROOT));
      int minCustomers = intIn(l + "min-customers", 2, 100_000_000);
      int minRepeat = intIn(l + "min-repeat-customers", 2, 100_000_000);
      int fitMaxCustomers = intIn(l + "fit-max-customers", 2, 100_000_000);
      if (minCustomers > fitMaxCustomers) {
        problems.add(describe(l + "min-customers") + ": must not be above " + key(l + "fit-max-customers") + " ("
            + fitMaxCustomers + "), or no sampled fit could run");
      }
      if (minRepeat > minCustomers) {
        problems.add(describe(l + "min-repeat-customers") + ": must not be above " + key(l + "min-customers") + " ("
            + minCustomers + ")");
      }
      return new LifetimeSettings(Boolean.TRUE.equals(bool(l + "enabled")), timeUnit,
          intIn(l + "clv-horizon-months", 1, 1200), doubleIn(l + "annual-discount-rate", 0, 10),
          fitMaxCustomers, minCustomers, minRepeat, doubleIn(l + "tolerance", 1e-15, 1e-3),
          intIn(l + "max-evaluations", 100, 10_000_000), "fail".equals(choice(l + "on-fit-failure",
              List.of("warn", "fail"))));
    }

    private ScoreSettings score() {
      String modelRun = string("score.model-run");
      if (modelRun != null && !modelRun.isBlank()
          && !com.customervalue.job.RunContext.RUN_ID.matcher(modelRun).matches()) {
        problems.add(describe("score.model-run") + ": expected a run id (letters, digits, '_', '.', ':', '-')");
      }
      double high = doubleIn("score.risk-bands.high", 0, 1);
      double medium = doubleIn("score.risk-bands.medium", 0, 1);
      if (medium > high) {
        problems.add(describe("score.risk-bands.medium") + ": must not be above score.risk-bands.high (" + high + ")");
      }
      return new ScoreSettings(Optional.ofNullable(modelRun).filter(s -> !s.isBlank()),
          nonEmptyString("score.return-target"), nonEmptyString("score.top-tier-target"),
          nonEmptyString("score.revenue-target"), high, medium, intIn("score.reasons", 1, 20), drift());
    }

    private ScoreSettings.Drift drift() {
      String d = "score.drift.";
      int before = problems.size();
      double psiWarn = doubleIn(d + "psi-warn", 0, 100);
      // Every feature has a PSI of at least 0, so a threshold of 0 would flag identical distributions.
      if (psiWarn == 0 && problems.size() == before) {
        problems.add(describe(d + "psi-warn") + ": expected a number above 0 (0.25 flags a shift worth retraining"
            + " for)");
      }
      return new ScoreSettings.Drift(Boolean.TRUE.equals(bool(d + "enabled")), intIn(d + "bins", 2, 100), psiWarn,
          fraction(d + "unseen-warn"));
    }

    private ReportSettings report() {
      String dir = string("report.notebooks-dir");
      String output = string("report.output");
      return new ReportSettings(Optional.ofNullable(dir).filter(s -> !s.isBlank()),
          Optional.ofNullable(output).filter(s -> !s.isBlank()), intIn("report.max-rows", 1, 100_000),
          intIn("report.top-at-risk", 1, 10_000));
    }

    private TrainSettings train() {
      String t = "train.";
      List<String> targets = strings(t + "targets");
      if (targets.isEmpty()) {
        problems.add(key(t + "targets") + " is empty: name at least one label column");
      }
      List<String> classifiers = oneOf(t + "classifiers", TrainSettings.CLASSIFIERS);
      List<String> regressors = oneOf(t + "regressors", TrainSettings.REGRESSORS);
      String metric = choice(t + "selection-metric", TrainSettings.CLASSIFICATION_METRICS);
      String regressionMetric = choice(t + "regression-selection-metric", TrainSettings.REGRESSION_METRICS);
      String thresholdRule = string(t + "threshold-rule");
      if (thresholdRule != null && !thresholdRule.equals("max_f1")) {
        boolean ok;
        try {
          double v = Double.parseDouble(thresholdRule);
          ok = v > 0 && v < 1;
        } catch (NumberFormatException e) {
          ok = false;
        }
        if (!ok) {
          problems.add(describe(t + "threshold-rule") + ": expected max_f1 or a probability between 0 and 1");
        }
      }
      String imbalance = choice(t + "imbalance", TrainSettings.IMBALANCE);
      List<String> variants = new ArrayList<>(TrainSettings.IMBALANCE);
      variants.add("no_text");
      List<String> compareVariants = oneOf(t + "compare-variants", variants);
      List<String> compareModels = oneOf(t + "compare-models", TrainSettings.CLASSIFIERS);
      var smote = new TrainSettings.Smote(intIn(t + "smote.neighbours", 1, 100),
          doubleIn(t + "smote.target-ratio", 0.01, 10), doubleIn(t + "smote.bucket-length", 1e-6, 1e6),
          intIn(t + "smote.hash-tables", 1, 50));
      var text = new TrainSettings.Text(Boolean.TRUE.equals(bool(t + "text.enabled")), strings(t + "text.columns"),
          intIn(t + "text.num-features", 2, 1 << 20), intIn(t + "text.min-doc-freq", 0, 1_000_000));
      var imputation = new TrainSettings.Imputation(choice(t + "imputation.strategy", List.of("median", "mean", "mode")),
          strings(t + "imputation.regression-columns"));
      int topK = intIn(t + "feature-selection.top-k", 1, 10_000);
      var selection = new TrainSettings.FeatureSelection(Boolean.TRUE.equals(bool(t + "feature-selection.enabled")),
          topK, intIn(t + "feature-selection.step", 1, 10_000));
      var calibration = new TrainSettings.Calibration(
          choice(t + "calibration.method", com.customervalue.train.Calibration.METHODS),
          oneOf(t + "calibration.models", TrainSettings.CLASSIFIERS), doubleIn(t + "calibration.clip", 0, 0.1));
      var earlyStopping = new TrainSettings.EarlyStopping(doubleIn(t + "early-stopping.validation-fraction", 0, 0.5),
          doubleIn(t + "early-stopping.tolerance", 0, 1));
      Map<String, Map<String, List<Object>>> grids = new java.util.TreeMap<>();
      if (present(t + "grid")) {
        for (String family : c.getObject(t + "grid").keySet()) {
          String path = t + "grid." + family;
          com.customervalue.train.ModelFamily f = com.customervalue.train.ModelFamily.byGridName(family);
          if (f == null || c.getValue(path).valueType() != ConfigValueType.OBJECT) {
            problems.add(key(path) + ": unknown model family (families: "
                + java.util.Arrays.stream(com.customervalue.train.ModelFamily.values())
                    .map(com.customervalue.train.ModelFamily::gridName).collect(Collectors.joining(", ")) + ")");
            continue;
          }
          Map<String, List<Object>> grid = new java.util.TreeMap<>();
          for (Map.Entry<String, ConfigValue> e : c.getObject(path).entrySet()) {
            Object v = e.getValue().unwrapped();
            grid.put(e.getKey(), v instanceof List<?> l ? new ArrayList<>(l) : List.of(v));
          }
          f.check(grid).forEach(p -> problems.add(key(path) + ": " + p));
          grids.put(family, grid);
        }
      }
      String p = t + "prepared.";
      String preparedPath = string(p + "path");
      var prepared = new TrainSettings.Prepared(preparedPath == null || preparedPath.isBlank() ? "" : preparedPath,
          enumValue(p + "format", SourceFormat.class), stringMap(p + "options"), string(p + "id-column"),
          string(p + "label-column"), string(p + "positive-label"), strings(p + "numeric-columns"),
          strings(p + "exclude-columns"));
      if (prepared.isSet() && (prepared.labelColumn() == null || prepared.labelColumn().isBlank())) {
        problems.add(key(p + "label-column") + " is empty: a prepared table needs its label column named");
      }
      return new TrainSettings(targets, classifiers, regressors, intIn(t + "folds", 2, 20),
          intIn(t + "parallelism", 1, 64), maxTrainingRows(t + "max-training-rows"), longValue(t + "seed"), metric,
          regressionMetric, thresholdRule, Boolean.TRUE.equals(bool(t + "purge-overlapping-labels")), imbalance,
          compareVariants, compareModels, smote, text, imputation, strings(t + "exclude-features"), selection,
          calibration, earlyStopping, grids, prepared);
    }

    private String choice(String path, List<String> allowed) {
      String value = string(path);
      if (value != null && !allowed.contains(value)) {
        problems.add(describe(path) + ": expected one of " + String.join(", ", allowed));
      }
      return value;
    }

    private List<String> oneOf(String path, List<String> allowed) {
      List<String> values = strings(path);
      for (String v : values) {
        if (!allowed.contains(v)) {
          problems.add(describe(path) + ": '" + v + "' is not one of " + String.join(", ", allowed));
        }
      }
      return values;
    }

    private CleanSettings clean() {
      List<String> disabled = strings("clean.disabled-rules");
      for (String rule : disabled) {
        if (!CleanSettings.RULES.contains(rule)) {
          problems.add(describe("clean.disabled-rules") + ": '" + rule + "' is not a rule; rules: "
              + String.join(", ", new TreeSet<>(CleanSettings.RULES)));
        }
      }
      List<String> patterns = strings("clean.invoices.test-address-patterns");
      for (String pattern : patterns) {
        try {
          Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
          problems.add(describe("clean.invoices.test-address-patterns") + ": '" + pattern
              + "' is not a regular expression (" + e.getDescription() + ")");
        }
      }
      Map<String, java.math.BigDecimal> rates = new java.util.TreeMap<>();
      stringMap("clean.invoices.exchange-rates").forEach((currency, rate) -> {
        try {
          java.math.BigDecimal value = new java.math.BigDecimal(rate);
          if (value.signum() <= 0) {
            throw new NumberFormatException();
          }
          rates.put(currency.toUpperCase(Locale.ROOT), value);
        } catch (NumberFormatException e) {
          problems.add(key("clean.invoices.exchange-rates." + currency) + " = " + rate + ": expected a positive number");
        }
      });
      String currency = nonEmptyString("clean.invoices.currency");
      return new CleanSettings(new java.util.HashSet<>(disabled),
          strings("clean.invoices.internal-domains").stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).toList(),
          patterns, string("clean.invoices.refund-reference-prefix"),
          currency == null ? "" : currency.toUpperCase(Locale.ROOT), rates);
    }

    private List<String> strings(String path) {
      if (!present(path)) {
        return List.of();
      }
      try {
        return c.getStringList(path);
      } catch (com.typesafe.config.ConfigException.WrongType e) {
        problems.add(describe(path) + ": expected a list of strings");
        return List.of();
      }
    }

    private SourceConfig source(Source source, String inputRoot) {
      String base = "sources." + source.id() + ".";
      Boolean enabled = bool(base + "enabled");
      if (source.isRequired() && Boolean.FALSE.equals(enabled)) {
        problems.add(key(base + "enabled") + " = false: source '" + source.id() + "' is required and cannot be disabled");
      }
      String path = nonEmptyString(base + "path");
      SourceFormat format = enumValue(base + "format", SourceFormat.class);
      Map<String, String> options = stringMap(base + "options");
      Map<String, String> mapped = stringMap(base + "columns");
      Map<String, String> columns = new LinkedHashMap<>();
      for (FieldSpec field : source.fields()) {
        columns.put(field.name(), mapped.getOrDefault(field.name(), field.name()));
      }
      for (Map.Entry<String, String> e : mapped.entrySet()) {
        String mapping = base + "columns." + ConfigUtil.quoteString(e.getKey());
        if (source.field(e.getKey()).isEmpty()) {
          problems.add(key(base + "columns." + e.getKey()) + origin(mapping) + ": '" + e.getKey()
              + "' is not a column of source '" + source.id() + "' (its columns: "
              + source.fields().stream().map(FieldSpec::name).collect(Collectors.joining(", ")) + ")");
        } else if (e.getValue().isBlank()) {
          problems.add(key(base + "columns." + e.getKey()) + origin(mapping)
              + " is empty: expected the name of a column in the file");
        }
      }
      String timestampFormat = pattern(base + "timestamp-format");
      String dateFormat = pattern(base + "date-format");
      ZoneId zone = zone(base + "time-zone");
      String cancellationPrefix = c.hasPath(base + "cancellation-prefix") ? string(base + "cancellation-prefix") : "";
      String defaultStatus = c.hasPath(base + "default-status") ? string(base + "default-status") : "";
      if (!defaultStatus.isEmpty()) {
        List<String> allowed = source.field(Source.Invoices.STATUS).map(FieldSpec::allowedValues).orElse(List.of());
        if (!allowed.contains(defaultStatus)) {
          problems.add(key(base + "default-status") + " = \"" + defaultStatus + "\": expected one of " + allowed);
        }
      }
      Boolean floatIds = bool(base + "float-ids");
      if (enabled == null || path == null || format == null || timestampFormat == null || dateFormat == null
          || zone == null || floatIds == null) {
        return null;
      }
      return new SourceConfig(source, enabled, resolvePath(inputRoot, path), format, options, columns,
          timestampFormat, dateFormat, zone, cancellationPrefix, defaultStatus, floatIds);
    }

    private static String resolvePath(String root, String path) {
      if (root == null || path.startsWith("/") || path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
        return path;
      }
      return root.endsWith("/") ? root + path : root + "/" + path;
    }

    private String key(String path) {
      return "'" + ROOT + "." + path + "'";
    }

    private String describe(String path) {
      ConfigValue v = c.getValue(path);
      return key(path) + " = " + v.render() + origin(path);
    }

    /** " (file: line)" of the value at {@code path}, so a problem can be found in the user's file; "" when unknown. */
    private String origin(String path) {
      ConfigValue v = c.hasPathOrNull(path) ? c.getValue(path) : null;
      return v != null && v.origin().lineNumber() > 0 ? " (" + v.origin().description() + ")" : "";
    }

    private boolean present(String path) {
      if (!c.hasPathOrNull(path) || c.getIsNull(path)) {
        problems.add(key(path) + " is missing: it has no default and must be set");
        return false;
      }
      return true;
    }

    private String string(String path) {
      if (!present(path)) {
        return null;
      }
      ConfigValueType type = c.getValue(path).valueType();
      if (type == ConfigValueType.OBJECT || type == ConfigValueType.LIST) {
        problems.add(describe(path) + ": expected a string, got a " + type.name().toLowerCase(Locale.ROOT));
        return null;
      }
      return c.getString(path);
    }

    private String nonEmptyString(String path) {
      String s = string(path);
      if (s != null && s.isBlank()) {
        problems.add(key(path) + " is empty: expected a non-empty value");
        return null;
      }
      return s;
    }

    /** The value, or null (with a problem recorded) when it is missing or not a boolean. */
    private Boolean bool(String path) {
      if (!present(path)) {
        return null;
      }
      try {
        return c.getBoolean(path);
      } catch (com.typesafe.config.ConfigException.WrongType e) {
        problems.add(describe(path) + ": expected true or false");
        return null;
      }
    }

    private Number number(String path, String expected) {
      if (!present(path)) {
        return null;
      }
      try {
        return c.getNumber(path);
      } catch (com.typesafe.config.ConfigException.WrongType e) {
        problems.add(describe(path) + ": expected " + expected);
        return null;
      }
    }

    /** 0 (no cap) or enough rows for a fold of each class to exist. */
    private int maxTrainingRows(String path) {
      int value = intIn(path, 0, Integer.MAX_VALUE);
      if (value > 0 && value < MIN_TRAINING_ROWS_CAP) {
        problems.add(describe(path) + ": expected 0 (train on every row) or at least " + MIN_TRAINING_ROWS_CAP);
      }
      return value;
    }

    private int intIn(String path, int min, int max) {
      String expected = "an integer from " + min + " to " + max;
      Number n = number(path, expected);
      if (n == null) {
        return min;
      }
      if (n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
        problems.add(describe(path) + ": expected " + expected);
        return min;
      }
      return n.intValue();
    }

    private long longValue(String path) {
      Number n = number(path, "an integer");
      if (n == null) {
        return 0L;
      }
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        problems.add(describe(path) + ": expected an integer");
      }
      return n.longValue();
    }

    private double doubleIn(String path, double min, double max) {
      String expected = "a number from " + min + " to " + max;
      Number n = number(path, expected);
      if (n == null) {
        return min;
      }
      if (n.doubleValue() < min || n.doubleValue() > max) {
        problems.add(describe(path) + ": expected " + expected);
      }
      return n.doubleValue();
    }

    private double fraction(String path) {
      Number n = number(path, "a fraction from 0 to 1");
      if (n == null) {
        return 0.0;
      }
      if (n.doubleValue() < 0 || n.doubleValue() > 1) {
        problems.add(describe(path) + ": expected a fraction from 0 to 1");
      }
      return n.doubleValue();
    }

    private LocalDate date(String path) {
      String s = string(path);
      if (s == null) {
        return null;
      }
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        problems.add(describe(path) + ": expected a date as yyyy-MM-dd");
        return null;
      }
    }

    private List<LocalDate> dates(String path) {
      if (!present(path)) {
        return List.of();
      }
      List<String> raw;
      try {
        raw = c.getStringList(path);
      } catch (com.typesafe.config.ConfigException.WrongType e) {
        problems.add(describe(path) + ": expected a list of dates as yyyy-MM-dd");
        return List.of();
      }
      List<LocalDate> out = new ArrayList<>();
      for (String s : raw) {
        try {
          out.add(LocalDate.parse(s));
        } catch (DateTimeParseException e) {
          problems.add(describe(path) + ": '" + s + "' is not a date as yyyy-MM-dd");
        }
      }
      return out;
    }

    private String pattern(String path) {
      String s = nonEmptyString(path);
      if (s == null) {
        return null;
      }
      try {
        DateTimeFormatter.ofPattern(s, Locale.ROOT);
        return s;
      } catch (IllegalArgumentException e) {
        problems.add(describe(path) + ": expected a datetime pattern such as yyyy-MM-dd HH:mm:ss (" + e.getMessage() + ")");
        return null;
      }
    }

    private ZoneId zone(String path) {
      String s = nonEmptyString(path);
      if (s == null) {
        return null;
      }
      try {
        return ZoneId.of(s);
      } catch (java.time.DateTimeException e) {
        problems.add(describe(path) + ": expected a time-zone id such as UTC or Europe/London");
        return null;
      }
    }

    private String database(String path) {
      String s = nonEmptyString(path);
      if (s != null && !DATABASE_NAME.matcher(s).matches()) {
        problems.add(describe(path) + ": expected a database name of letters, digits and underscores");
      }
      return s;
    }

    private <E extends Enum<E>> E enumValue(String path, Class<E> type) {
      String s = string(path);
      if (s == null) {
        return null;
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s)) {
          return e;
        }
      }
      problems.add(describe(path) + ": expected one of " + java.util.Arrays.stream(type.getEnumConstants())
          .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
      return null;
    }

    private Map<String, String> stringMap(String path) {
      if (!present(path)) {
        return Map.of();
      }
      if (c.getValue(path).valueType() != ConfigValueType.OBJECT) {
        problems.add(describe(path) + ": expected an object of key = \"value\" pairs");
        return Map.of();
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigValue> e : c.getObject(path).entrySet()) {
        ConfigValueType t = e.getValue().valueType();
        if (t == ConfigValueType.OBJECT || t == ConfigValueType.LIST || t == ConfigValueType.NULL) {
          problems.add(key(path + "." + ConfigUtil.quoteString(e.getKey())) + ": expected a plain value, got "
              + t.name().toLowerCase(Locale.ROOT));
        } else {
          out.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
      }
      return out;
    }
  }
}

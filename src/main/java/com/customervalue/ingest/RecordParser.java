package com.customervalue.ingest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.SourceConfig;
import com.customervalue.config.SourceFormat;
import com.customervalue.sources.FieldSpec;
import com.customervalue.sources.FieldType;
import com.customervalue.sources.Source;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Quarantine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Types every contract column of a raw source and finds each row's first problem. The result has
 * the typed contract columns, the source file, a {@value #PROBLEM} struct (null for a valid row)
 * and the record as read. Nothing is filtered here, so counts always add up.
 */
final class RecordParser {
  static final String PROBLEM = "_problem";
  static final String RAW_RECORD = "_raw_record";
  static final String CODE = "code";
  static final String COLUMN = "column";
  static final String VALUE = "value";
  static final String MESSAGE = "message";

  /** Pattern letters for zone names (Spark/java.time datetime patterns): values are then exact. */
  private static final java.util.regex.Pattern ZONE_NAME_PATTERN = java.util.regex.Pattern.compile("[OVz]");
  /** A value ending in a UTC designator or numeric offset. */
  private static final String OFFSET_SUFFIX = "(?i)(z|[+-][0-9]{2}(:?[0-9]{2})?)$";
  /** What a decoder puts where bytes were not valid UTF-8. */
  private static final String REPLACEMENT = "\uFFFD";
  /** Characters of a value quoted in a reason; the whole value stays in bad_value and raw_record. */
  private static final int EXCERPT = 100;
  /** Working columns: a field's trimmed text and its typed value (names no export is expected to use). */
  private static final String TEXT_PREFIX = "__cv_text_";
  private static final String VALUE_PREFIX = "__cv_value_";
  private static final String FAILED_CHECK = "__cv_failed_check";

  private RecordParser() {}

  /**
   * @param runStart when the run started: a date or time more than a day after it is in the future
   */
  static Dataset<Row> parse(RawSource raw, Instant runStart) {
    SourceConfig config = raw.config();
    // Each field's text and typed value become columns of their own before any check reads them. Built as
    // one expression, every check of a field repeated the trimming, the id clean-up and the timestamp parse
    // (Spark shares no work between the branches of a conditional expression).
    // The values read the text columns by name, so they are added after them.
    Map<String, Column> texts = new LinkedHashMap<>();
    Map<String, Column> values = new LinkedHashMap<>();
    for (FieldSpec field : config.source().fields()) {
      String name = field.name();
      Column source = raw.fields().get(name);
      if (source != null) {
        DataType readType = raw.fieldTypes().get(name);
        texts.put(name, text(source, readType, config.floatIds() && name.endsWith("_id")));
        values.put(name, typedValue(field, col(TEXT_PREFIX + name), source, readType, config));
      }
    }
    Dataset<Row> frame = withColumns(withColumns(raw.frame(), texts, TEXT_PREFIX), values, VALUE_PREFIX);

    List<Column> typed = new ArrayList<>();
    List<RowCheck> checks = new ArrayList<>();
    checks.add(new RowCheck(raw.corruptRecord().isNotNull(), problem(lit(Quarantine.MALFORMED_RECORD), null, null,
        malformedReason(raw.corruptRecord(), config))));
    Instant future = runStart.plus(Duration.ofDays(1));
    Column invoiceIdText = null;
    for (FieldSpec field : config.source().fields()) {
      if (!texts.containsKey(field.name())) {
        Column absent = lit(null).cast(field.type().sparkType());
        typed.add((isInvoiceStatus(config, field) ? invoiceStatus(config, absent, invoiceIdText) : absent)
            .as(field.name()));
        continue;
      }
      Column text = col(TEXT_PREFIX + field.name());
      Column value = col(VALUE_PREFIX + field.name());
      String where = "column '" + field.name() + "' (file column '" + config.userColumn(field.name()) + "')";
      Column quoted = concat(lit(where + ": '"), excerpt(text), lit("'"));
      if (field.required()) {
        checks.add(new RowCheck(text.isNull(), problem(lit(Quarantine.MISSING_REQUIRED), field.name(), null,
            lit("required " + where + " is empty"))));
      }
      // Bytes that are not UTF-8 arrive as U+FFFD: the value lost characters, whatever its type.
      checks.add(new RowCheck(text.contains(REPLACEMENT), problem(lit(Quarantine.BAD_ENCODING), field.name(), text,
          concat(quoted, lit(" is not valid UTF-8 text: the file may be in another encoding; set customer-value.sources."
              + config.source().id() + ".options.encoding, e.g. \"ISO-8859-1\"")))));
      Column tooLarge = tooLarge(field, text);
      if (tooLarge != null) {
        checks.add(new RowCheck(text.isNotNull().and(value.isNull()).and(tooLarge), problem(lit(Quarantine.OUT_OF_RANGE),
            field.name(), text, concat(quoted, lit(" is out of range for " + typeRange(field.type()))))));
      }
      checks.add(new RowCheck(text.isNotNull().and(value.isNull()), problem(lit(Quarantine.BAD_VALUE), field.name(), text,
          concat(quoted, lit(" is not " + field.type().description() + expectedFormat(field, config)),
              numberHint(field, text)))));
      Column later = futureOf(field, value, future);
      if (later != null) {
        checks.add(new RowCheck(later, problem(lit(Quarantine.OUT_OF_RANGE), field.name(), text,
            concat(quoted, lit(" is in the future: after " + future + ", a day after the run started")))));
      }
      if (field.min() != null || field.max() != null) {
        Column below = field.min() == null ? lit(false) : value.lt(field.min());
        Column above = field.max() == null ? lit(false) : value.gt(field.max());
        checks.add(new RowCheck(value.isNotNull().and(below.or(above)), problem(lit(Quarantine.OUT_OF_RANGE), field.name(),
            text, concat(quoted, lit(" is out of range (" + bounds(field) + ")")))));
      }
      if (!field.allowedValues().isEmpty()) {
        checks.add(new RowCheck(value.isNotNull().and(not(value.isin(field.allowedValues().toArray()))),
            problem(lit(Quarantine.NOT_ALLOWED), field.name(), text,
                concat(quoted, lit(" is not one of " + String.join(", ", field.allowedValues()))))));
      }
      if (config.source() == Source.INVOICES && field.name().equals(Source.Invoices.INVOICE_ID)) {
        invoiceIdText = text;
      }
      typed.add((isInvoiceStatus(config, field) ? invoiceStatus(config, value, invoiceIdText) : value)
          .as(field.name()));
    }
    // The number of the first check a row fails, then that check's problem for failing rows only: the checks
    // stay a small expression the JIT compiles, apart from the large one that words the problems.
    Column failed = null;
    Column problem = null;
    for (int i = 0; i < checks.size(); i++) {
      RowCheck check = checks.get(i);
      failed = failed == null ? when(check.fails(), lit(i)) : failed.when(check.fails(), lit(i));
      problem = problem == null ? when(col(FAILED_CHECK).equalTo(i), check.problem())
          : problem.when(col(FAILED_CHECK).equalTo(i), check.problem());
    }
    frame = frame.withColumn(FAILED_CHECK, failed);
    List<Column> out = new ArrayList<>(typed);
    out.add(raw.sourceFile().as(Lineage.SOURCE_FILE));
    out.add(when(col(FAILED_CHECK).isNotNull(), problem).as(PROBLEM));
    out.add(when(col(FAILED_CHECK).isNotNull(), raw.rawRecord()).as(RAW_RECORD));
    return frame.select(out.toArray(Column[]::new));
  }

  /** A check of a row: when {@code fails} holds, the row is quarantined with {@code problem}. */
  private record RowCheck(Column fails, Column problem) {}

  /** {@code frame} with one more column per entry, named prefix + key. */
  private static Dataset<Row> withColumns(Dataset<Row> frame, Map<String, Column> columns, String prefix) {
    List<Column> all = new ArrayList<>(List.of(col("*")));
    columns.forEach((name, column) -> all.add(column.as(prefix + name)));
    return frame.select(all.toArray(Column[]::new));
  }

  /**
   * Why a record could not be split. A CSV line with an odd number of quotes most likely holds a
   * quoted value that goes on over the next line: a line-by-line read splits it into fragments.
   */
  private static Column malformedReason(Column record, SourceConfig config) {
    Column base = lit("the record could not be split into the file's columns (wrong number of fields or broken "
        + config.format().sparkName() + ")");
    if (config.format() != SourceFormat.CSV) {
      return base;
    }
    Column quotes = length(record).minus(length(regexp_replace(record, lit("\""), lit(""))));
    return concat(base, when(pmod(quotes, lit(2)).equalTo(1), lit("; it has an unclosed quote: if quoted values"
        + " contain line breaks, set customer-value.sources." + config.source().id() + ".options.multiLine = true"))
        .otherwise(lit("")));
  }

  /** The value as written in a message: long values cut to their first characters and their length. */
  static Column excerpt(Column text) {
    return when(length(text).gt(EXCERPT), concat(substring(text, 1, EXCERPT), lit("... ("),
        length(text).cast(DataTypes.StringType), lit(" characters)"))).otherwise(text);
  }

  /** True when a number that did not fit its type was nevertheless written as a number: too large, not malformed. */
  private static Column tooLarge(FieldSpec field, Column text) {
    return switch (field.type()) {
      case INTEGER -> text.rlike("^[+-]?[0-9]+$");
      case DECIMAL -> abs(text.try_cast(DataTypes.DoubleType)).geq(1e16);
      default -> null;
    };
  }

  private static String typeRange(FieldType type) {
    return type == FieldType.INTEGER ? "an integer (-2147483648 to 2147483647)"
        : "a decimal(18,2) (at most 16 digits before the point)";
  }

  /** For numbers written with a currency symbol or thousands separators, says so. */
  private static Column numberHint(FieldSpec field, Column text) {
    if (field.type() != FieldType.INTEGER && field.type() != FieldType.DECIMAL && field.type() != FieldType.DOUBLE) {
      return lit("");
    }
    return when(text.rlike("[$\u20AC\u00A3\u00A5]|^[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]*)?$"),
        lit(": currency symbols and thousands separators are not read; export plain numbers such as 1234.50"))
        .otherwise(lit(""));
  }

  /** True for a date or time after {@code future}; null for other types. */
  private static Column futureOf(FieldSpec field, Column value, Instant future) {
    return switch (field.type()) {
      case TIMESTAMP -> value.gt(lit(java.sql.Timestamp.from(future)));
      case DATE -> value.gt(lit(java.sql.Date.valueOf(future.atZone(java.time.ZoneOffset.UTC).toLocalDate())));
      default -> null;
    };
  }

  private static String bounds(FieldSpec field) {
    if (field.max() == null) {
      return number(field.min()) + " or more";
    }
    if (field.min() == null) {
      return number(field.max()) + " or less";
    }
    return number(field.min()) + " to " + number(field.max());
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  /** The value as trimmed text, empty as null; arrays (JSON tags) joined with commas. */
  private static Column text(Column source, DataType readType, boolean floatId) {
    Column text = readType instanceof ArrayType ? array_join(source, ",")
        : readType instanceof StringType ? source
        : source.cast(DataTypes.StringType);
    Column trimmed = trim(text);
    Column nonEmpty = when(trimmed.notEqual(lit("")), trimmed);
    return floatId ? regexp_replace(nonEmpty, lit("^(-?[0-9]+)\\.0+$"), lit("$1")) : nonEmpty;
  }

  private static Column typedValue(FieldSpec field, Column text, Column source, DataType readType, SourceConfig config) {
    DataType target = field.type().sparkType();
    if (!(readType instanceof StringType) && readType.equals(target)) {
      return source;
    }
    boolean temporalRead = readType instanceof DateType || readType instanceof TimestampType;
    return switch (field.type()) {
      case STRING -> field.allowedValues().isEmpty() ? text : lower(text);
      case INTEGER, DECIMAL, DOUBLE -> text.try_cast(target);
      case DATE -> temporalRead ? source.cast(target)
          : try_to_timestamp(text, lit(config.dateFormat())).cast(DataTypes.DateType);
      case TIMESTAMP -> temporalRead ? source.cast(target) : toInstant(text, config);
    };
  }

  /**
   * Parses a timestamp into an instant. A value written with an offset ({@code Z}, {@code +02:00})
   * or a pattern with a zone name is exact already; a local time without one is read in the
   * source's configured time zone (sessions run in UTC).
   */
  private static Column toInstant(Column text, SourceConfig config) {
    Column parsed = try_to_timestamp(text, lit(config.timestampFormat()));
    boolean zoneNames = ZONE_NAME_PATTERN.matcher(withoutQuotedText(config.timestampFormat())).find();
    if (zoneNames || config.timeZone().normalized().equals(java.time.ZoneOffset.UTC)) {
      return parsed;
    }
    return when(text.rlike(OFFSET_SUFFIX), parsed).otherwise(to_utc_timestamp(parsed, config.timeZone().getId()));
  }

  private static String withoutQuotedText(String pattern) {
    return pattern.replaceAll("'[^']*'", "");
  }

  private static String expectedFormat(FieldSpec field, SourceConfig config) {
    return switch (field.type()) {
      case DATE -> " as " + config.dateFormat();
      case TIMESTAMP -> " as " + config.timestampFormat();
      default -> "";
    };
  }

  /**
   * An invoice's status: cancelled when its number carries the configured cancellation prefix,
   * else the exported status, else the configured default.
   */
  private static Column invoiceStatus(SourceConfig config, Column status, Column invoiceIdText) {
    Column withDefault = config.defaultStatus().isEmpty() ? status : coalesce(status, lit(config.defaultStatus()));
    if (config.cancellationPrefix().isEmpty() || invoiceIdText == null) {
      return withDefault;
    }
    return when(invoiceIdText.startsWith(config.cancellationPrefix()), lit(Source.Invoices.STATUS_CANCELLED))
        .otherwise(withDefault);
  }

  private static Column problem(Column code, String column, Column value, Column message) {
    return struct(
        code.as(CODE),
        lit(column).cast(DataTypes.StringType).as(COLUMN),
        (value == null ? lit(null).cast(DataTypes.StringType) : value).as(VALUE),
        message.as(MESSAGE));
  }

  private static boolean isInvoiceStatus(SourceConfig config, FieldSpec field) {
    return config.source() == Source.INVOICES && field.name().equals(Source.Invoices.STATUS);
  }
}

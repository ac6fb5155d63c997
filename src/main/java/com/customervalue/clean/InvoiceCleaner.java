package com.customervalue.clean;

import static com.customervalue.clean.Rules.DROP_REASON;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import com.customervalue.clean.Silver.Invoices;
import com.customervalue.config.CleanSettings;
import com.customervalue.sources.Source;
import com.customervalue.warehouse.Lineage;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.storage.StorageLevel;

/**
 * The invoice rules, in order: exact duplicate lines; test transactions (status test, staff
 * domains, test addresses, invoices that total zero); sale lines with a negative amount
 * (quarantined); amounts in one currency; refunds and
 * cancellations netted against the sale lines they return. Each removed or changed row is counted
 * under its rule's name.
 */
final class InvoiceCleaner {
  static final String SOURCE = Source.INVOICES.id();
  static final String TEST_STATUS = "test_status";
  static final String INTERNAL_DOMAIN = "internal_domain";
  static final String TEST_ADDRESS = "test_address";
  static final String ZERO_AMOUNT_INVOICE = "zero_amount_invoice";
  static final String NEGATIVE_AMOUNT = "negative_amount";
  static final String CURRENCY = "currency";
  static final String CURRENCY_CONVERTED = "currency_converted";
  static final String UNKNOWN_CURRENCY = "unknown_currency";
  static final String NET_RETURNS = "net_returns";
  static final String RETURN_LINES_NETTED = "return_lines_netted";
  static final String SALE_LINES_RETURNED = "sale_lines_returned";
  static final String OVER_RETURNED = "over_returned";
  static final String UNMATCHED_RETURN = "unmatched_return";

  private static final DecimalType MONEY = DataTypes.createDecimalType(18, 2);
  private static final String CUSTOMER = "_customer";
  private static final String REFERENCE = "_reference";
  private static final String COPY = "_copy";
  private static final String ZERO_INVOICE = "_zero_invoice";
  private static final String ZERO_TOTAL = "_zero_total";

  private final CleanSettings settings;

  InvoiceCleaner(CleanSettings settings) {
    this.settings = settings;
  }

  private boolean on(String rule) {
    return settings.enabled(SOURCE, rule);
  }

  CleanedSource clean(Dataset<Row> bronze, String runId, Timestamp at) {
    Column email = lower(trim(col(Source.Invoices.EMAIL)));
    Column amount = coalesce(col(Source.Invoices.AMOUNT),
        col(Source.Invoices.QUANTITY).cast(MONEY).multiply(col(Source.Invoices.UNIT_PRICE))).cast(MONEY);
    // One shuffle of the lines numbers the exact copies: the duplicate rule and the line ids both read it.
    Dataset<Row> lines = bronze.withColumn(Source.Invoices.AMOUNT, amount)
        .withColumn(COPY, Rules.copyNumber(Source.INVOICES));
    Column duplicate = col(COPY).gt(1);
    if (on(ZERO_AMOUNT_INVOICE)) {
      // The few invoices that total zero, from an aggregate of two columns, broadcast back to the lines: a
      // window over the invoice id would shuffle every line a second time.
      Dataset<Row> zero = lines.where(not(duplicate)).groupBy(col(Source.Invoices.INVOICE_ID).as(ZERO_INVOICE))
          .agg(sum(abs(col(Source.Invoices.AMOUNT))).as("_total"))
          .where(col("_total").equalTo(0)).select(col(ZERO_INVOICE), lit(true).as(ZERO_TOTAL));
      lines = lines.join(broadcast(zero), col(Source.Invoices.INVOICE_ID).eqNullSafe(col(ZERO_INVOICE)), "left")
          .drop(ZERO_INVOICE);
    } else {
      lines = lines.withColumn(ZERO_TOTAL, lit(null).cast(DataTypes.BooleanType));
    }
    Column reason = when(lit(on(Rules.DUPLICATE_LINES)).and(duplicate), lit(Rules.DUPLICATE_LINES))
        .when(lit(on(TEST_STATUS)).and(col(Source.Invoices.STATUS).equalTo(Source.Invoices.STATUS_TEST)),
            lit(TEST_STATUS))
        .when(lit(on(INTERNAL_DOMAIN)).and(internalDomain(email)), lit(INTERNAL_DOMAIN))
        .when(lit(on(TEST_ADDRESS)).and(testAddress(email)), lit(TEST_ADDRESS))
        .when(col(ZERO_TOTAL).isNotNull(), lit(ZERO_AMOUNT_INVOICE));
    Dataset<Row> flagged = lines.withColumn(DROP_REASON, reason).drop(ZERO_TOTAL)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> byReason = Rules.countByReason(flagged);
    long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> dropped = new LinkedHashMap<>(byReason);
    dropped.remove("");
    Map<String, Long> changed = new LinkedHashMap<>();

    Dataset<Row> kept = flagged.where(col(DROP_REASON).isNull()).drop(DROP_REASON);
    List<Dataset<Row>> quarantined = new ArrayList<>();
    if (on(NEGATIVE_AMOUNT)) {
      // A sale (quantity above zero) with a negative amount is no purchase: counted as one, it would
      // make the account "return" and lower its spend. Credits carry a negative quantity.
      Column negativeSale = col(Source.Invoices.QUANTITY).gt(0).and(col(Source.Invoices.AMOUNT).lt(0));
      quarantined.add(Rules.quarantine(kept.where(negativeSale), Source.INVOICES, runId, at, NEGATIVE_AMOUNT,
          Source.Invoices.AMOUNT, col(Source.Invoices.AMOUNT),
          concat(lit("invoice '"), col(Source.Invoices.INVOICE_ID), lit("': column 'amount' is "),
              col(Source.Invoices.AMOUNT).cast("string"), lit(" on a sale line (quantity "),
              col(Source.Invoices.QUANTITY).cast("string"), lit(", unit_price "),
              col(Source.Invoices.UNIT_PRICE).cast("string"),
              lit("); a credit or refund needs a negative quantity"))));
      kept = kept.where(not(negativeSale));
    }
    if (on(CURRENCY)) {
      Column currency = upper(trim(col(Source.Invoices.CURRENCY)));
      Column foreign = currency.isNotNull().and(currency.notEqual(lit(settings.currency())));
      Column rate = rateOf(currency);
      Dataset<Row> unknown = kept.where(foreign.and(rate.isNull()));
      quarantined.add(Rules.quarantine(unknown, Source.INVOICES, runId, at, UNKNOWN_CURRENCY,
          Source.Invoices.CURRENCY, col(Source.Invoices.CURRENCY),
          concat(lit("column 'currency': '"), col(Source.Invoices.CURRENCY), lit("' has no rate to "
              + settings.currency() + " in customer-value.clean.invoices.exchange-rates"))));
      kept = kept.where(not(foreign.and(rate.isNull())))
          .withColumn("_converted", foreign)
          .withColumn(Source.Invoices.AMOUNT, when(foreign, col(Source.Invoices.AMOUNT).multiply(rate))
              .otherwise(col(Source.Invoices.AMOUNT)).cast(MONEY))
          .withColumn(Source.Invoices.UNIT_PRICE, when(foreign, col(Source.Invoices.UNIT_PRICE).multiply(rate))
              .otherwise(col(Source.Invoices.UNIT_PRICE)).cast(MONEY))
          .withColumn(Source.Invoices.CURRENCY, lit(settings.currency()));
    } else {
      kept = kept.withColumn("_converted", lit(false));
    }
    kept = withLineIds(kept).withColumn(CUSTOMER, coalesce(col(Source.Invoices.CUSTOMER_ID), email))
        .persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> silver;
    Map<String, Dataset<Row>> extra = new LinkedHashMap<>();
    List<Dataset<Row>> cached = new ArrayList<>(List.of(kept));
    if (on(NET_RETURNS)) {
      Returns returns = netReturns(kept);
      cached.addAll(returns.cached());
      silver = returns.sales();
      extra.put(Silver.INVOICE_RETURNS, returns.returned().select(returnColumns()));
      quarantined.add(Rules.quarantine(returns.unmatched(), Source.INVOICES, runId, at, UNMATCHED_RETURN,
          Source.Invoices.QUANTITY, col(Source.Invoices.QUANTITY),
          concat(lit("return line of invoice '"), col(Source.Invoices.INVOICE_ID), lit("' (column 'quantity' "),
              col(Source.Invoices.QUANTITY).cast("string"), lit(") matches no earlier sale of product '"),
              col(Source.Invoices.PRODUCT), lit("' to the same customer"))));
      Row counts = returns.counts();
      dropped.put(RETURN_LINES_NETTED, counts.getLong(0));
      changed.put(SALE_LINES_RETURNED, counts.getLong(1));
      changed.put(OVER_RETURNED, counts.getLong(2));
    } else {
      silver = kept.withColumn(Invoices.RETURNED_QUANTITY, lit(0))
          .withColumn(Invoices.RETURNED_AMOUNT, lit(BigDecimal.ZERO).cast(MONEY))
          .withColumn(Invoices.NET_QUANTITY, col(Source.Invoices.QUANTITY))
          .withColumn(Invoices.NET_AMOUNT, col(Source.Invoices.AMOUNT));
    }
    changed.put(CURRENCY_CONVERTED, kept.where(col("_converted")).count());
    silver = silver.select(silverColumns());
    Dataset<Row> quarantine = quarantined.stream().reduce(Dataset::unionByName).orElseThrow();
    flagged.unpersist();
    return new CleanedSource(Source.INVOICES, silver, quarantine, rowsIn, dropped, changed, extra, cached);
  }

  private Column internalDomain(Column email) {
    if (settings.internalDomains().isEmpty()) {
      return lit(false);
    }
    String domains = settings.internalDomains().stream().map(Pattern::quote).collect(Collectors.joining("|"));
    return coalesce(email.rlike("@([^@]*\\.)?(" + domains + ")$"), lit(false));
  }

  private Column testAddress(Column email) {
    if (settings.testAddressPatterns().isEmpty()) {
      return lit(false);
    }
    String any = settings.testAddressPatterns().stream().map(p -> "(?:" + p + ")").collect(Collectors.joining("|"));
    return coalesce(email.rlike(any), lit(false));
  }

  private Column rateOf(Column currency) {
    Column rate = lit(null).cast(DataTypes.createDecimalType(18, 8));
    for (Map.Entry<String, BigDecimal> e : settings.exchangeRates().entrySet()) {
      rate = when(currency.equalTo(e.getKey()), lit(e.getValue()).cast(DataTypes.createDecimalType(18, 8)))
          .otherwise(rate);
    }
    return rate;
  }

  /**
   * A hash of the line's values and its copy number (above 1 only for duplicates kept by a disabled rule).
   * The rules after the duplicate rule drop all copies of a line or none, so the numbers stay 1, 2, 3, ...
   */
  private static Dataset<Row> withLineIds(Dataset<Row> lines) {
    Column hash = sha2(to_json(struct(Rules.contractColumns(Source.INVOICES))), 256).substr(1, 20);
    return lines.withColumn(Invoices.LINE_ID, concat(hash, lit("-"), col(COPY).cast("string"))).drop(COPY);
  }

  private record Returns(Dataset<Row> sales, Dataset<Row> returned, Dataset<Row> unmatched, Row counts,
      List<Dataset<Row>> cached) {}

  /**
   * Each return line (negative quantity) is matched to one sale line of the same product: the
   * invoice it names (refund-reference-prefix + number), else the same customer's latest sale on or
   * before it. Matched returns are removed and reduce their sale line's net quantity and amount (never
   * below zero); unmatched ones go to quarantine.
   */
  private Returns netReturns(Dataset<Row> lines) {
    Dataset<Row> returns = lines.where(col(Source.Invoices.QUANTITY).lt(0));
    Dataset<Row> sales = lines.where(col(Source.Invoices.QUANTITY).geq(0));
    String prefix = settings.refundReferencePrefix();
    Column reference = prefix.isEmpty() ? lit(null).cast("string")
        : when(col(Source.Invoices.INVOICE_ID).startsWith(prefix),
            substring(col(Source.Invoices.INVOICE_ID), prefix.length() + 1, 1000));
    Dataset<Row> r = returns.select(col(Invoices.LINE_ID).as("r_line"), col(Source.Invoices.PRODUCT).as("r_product"),
        col(CUSTOMER).as("r_customer"), col(Source.Invoices.INVOICE_DATE).as("r_date"),
        reference.as(REFERENCE), col(Source.Invoices.QUANTITY).as("r_quantity"),
        col(Source.Invoices.AMOUNT).as("r_amount"));
    Dataset<Row> s = sales.select(col(Invoices.LINE_ID).as("s_line"), col(Source.Invoices.PRODUCT).as("s_product"),
        col(CUSTOMER).as("s_customer"), col(Source.Invoices.INVOICE_DATE).as("s_date"),
        col(Source.Invoices.INVOICE_ID).as("s_invoice"));
    Dataset<Row> byReference = r.join(s, col(REFERENCE).equalTo(col("s_invoice"))
            .and(col("r_product").equalTo(col("s_product"))))
        .withColumn("_priority", lit(0));
    Dataset<Row> byCustomer = r.join(s, col("r_customer").equalTo(col("s_customer"))
            .and(col("r_product").equalTo(col("s_product"))).and(col("s_date").leq(col("r_date"))))
        .withColumn("_priority", lit(1));
    Dataset<Row> matched = byReference.unionByName(byCustomer)
        .withColumn("_rank", row_number().over(Window.partitionBy(col("r_line"))
            .orderBy(col("_priority"), col("s_date").desc(), col("s_line"))))
        .where(col("_rank").equalTo(1))
        .select(col("r_line"), col("s_line"), col("r_quantity"), col("r_amount"))
        // One row per return line, read four times (netting, counts, quarantine, returns table): each read
        // would otherwise join every sale line again.
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> perSale = matched.groupBy(col("s_line"))
        .agg(sum(col("r_quantity")).multiply(-1).as("_returned_quantity"),
            sum(col("r_amount")).multiply(-1).as("_returned_amount"));
    Column returnedQuantity = coalesce(col("_returned_quantity"), lit(0L));
    Column returnedAmount = coalesce(col("_returned_amount"), lit(BigDecimal.ZERO));
    Dataset<Row> netted = sales.join(perSale, col(Invoices.LINE_ID).equalTo(col("s_line")), "left")
        .withColumn("_over", returnedQuantity.gt(col(Source.Invoices.QUANTITY)))
        .withColumn(Invoices.RETURNED_QUANTITY,
            least(returnedQuantity, col(Source.Invoices.QUANTITY).cast("long")).cast("int"))
        .withColumn(Invoices.RETURNED_AMOUNT,
            greatest(least(returnedAmount, col(Source.Invoices.AMOUNT)), lit(BigDecimal.ZERO)).cast(MONEY))
        .withColumn(Invoices.NET_QUANTITY, col(Source.Invoices.QUANTITY).minus(col(Invoices.RETURNED_QUANTITY)))
        .withColumn(Invoices.NET_AMOUNT,
            col(Source.Invoices.AMOUNT).minus(col(Invoices.RETURNED_AMOUNT)).cast(MONEY))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> unmatched = returns.join(matched, col(Invoices.LINE_ID).equalTo(col("r_line")), "left_anti");
    // Each netted return with its own date, so later stages can tell which returns happened
    // before a snapshot's as_of (the sale line's returned_* columns sum all of them).
    Dataset<Row> returned = returns.join(matched.select(col("r_line"), col("s_line").as(Invoices.RETURNED_LINE_ID)),
            col(Invoices.LINE_ID).equalTo(col("r_line")))
        .drop("r_line");
    long returnLines = returns.count();
    long unmatchedLines = unmatched.count();
    Row saleCounts = netted.agg(
        sum(when(col(Invoices.RETURNED_QUANTITY).gt(0), 1).otherwise(0)).cast("long"),
        sum(when(col("_over"), 1).otherwise(0)).cast("long")).first();
    Row counts = org.apache.spark.sql.RowFactory.create(returnLines - unmatchedLines,
        saleCounts.isNullAt(0) ? 0L : saleCounts.getLong(0), saleCounts.isNullAt(1) ? 0L : saleCounts.getLong(1));
    return new Returns(netted, returned, unmatched, counts, List.of(matched, netted));
  }

  /** Columns of the returns table: the return line as read, its id, the sale it was netted against. */
  static Column[] returnColumns() {
    List<Column> out = new ArrayList<>(List.of(Rules.contractColumns(Source.INVOICES)));
    for (String c : List.of(Invoices.LINE_ID, Invoices.RETURNED_LINE_ID, Lineage.RUN_ID, Lineage.SOURCE_FILE,
        Lineage.INGESTED_AT)) {
      out.add(col(c));
    }
    return out.toArray(Column[]::new);
  }

  /** Silver invoice columns: the contract, the clean columns, the lineage. */
  static Column[] silverColumns() {
    List<Column> out = new ArrayList<>(List.of(Rules.contractColumns(Source.INVOICES)));
    for (String c : List.of(Invoices.LINE_ID, Invoices.RETURNED_QUANTITY, Invoices.RETURNED_AMOUNT,
        Invoices.NET_QUANTITY, Invoices.NET_AMOUNT, Lineage.RUN_ID, Lineage.SOURCE_FILE, Lineage.INGESTED_AT)) {
      out.add(col(c));
    }
    return out.toArray(Column[]::new);
  }
}

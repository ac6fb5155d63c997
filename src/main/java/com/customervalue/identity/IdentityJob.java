package com.customervalue.identity;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import com.customervalue.clean.Silver;
import com.customervalue.config.AppConfig;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.identity.keys.Domains;
import com.customervalue.identity.keys.EmailNormalizer;
import com.customervalue.identity.keys.FreeMailDomains;
import com.customervalue.identity.keys.NormalizedEmail;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.sources.Source;
import com.customervalue.spark.StageDescription;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Tables;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every silver row the keys that join it to an account, with no shared key to start from:
 * e-mails normalised, domains cut to the registrable domain, free-mail domains never company
 * keys. Customer ids link through the customers source; several e-mails of one company roll up to
 * its domain. Writes {@code keyed_<source>} and {@code identity_matches}, and logs the match rates.
 */
public final class IdentityJob implements Job {
  public static final String NAME = "identity";
  private static final Logger log = LoggerFactory.getLogger(IdentityJob.class);
  private static final StructType NORMALIZED = new StructType()
      .add("email", DataTypes.StringType).add("domain", DataTypes.StringType).add("reason", DataTypes.StringType);
  private static final String NORM = "_email";
  private static final String DERIVED = "_derived";

  private final KeyHasher hasher;

  /** The job as the CLI runs it: the hash key comes from the configured environment variable. */
  public IdentityJob() {
    this(null);
  }

  /** With an explicit hasher (tests, embedding). */
  public IdentityJob(KeyHasher hasher) {
    this.hasher = hasher;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputTables(AppConfig config) {
    return java.util.Arrays.stream(Source.values()).map(Silver::table).toList();
  }

  /** The Spark functions this job applies, built once per run around the run's lists and key. */
  private record Functions(UserDefinedFunction normalize, UserDefinedFunction registrable,
      UserDefinedFunction freeMail, UserDefinedFunction hash) {}

  private static Functions functions(FreeMailDomains freeMail, KeyHasher hasher) {
    UDF1<String, Row> normalize = raw -> {
      NormalizedEmail n = EmailNormalizer.normalize(raw);
      return RowFactory.create(n.email(), n.registrableDomain(), n.valid() ? null : n.rejectReason());
    };
    UDF1<String, String> registrable = value -> value == null ? null : Domains.registrable(value).orElse(null);
    UDF1<String, Boolean> isFreeMail = domain -> domain != null && freeMail.isFreeMail(domain);
    UDF1<String, String> hash = hasher::hash;
    return new Functions(udf(normalize, NORMALIZED), udf(registrable, DataTypes.StringType),
        udf(isFreeMail, DataTypes.BooleanType), udf(hash, DataTypes.StringType));
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    KeyHasher keys = hasher != null ? hasher
        : KeyHasher.fromEnvironment(config.identity().hashKeyEnv(), System.getenv());
    FreeMailDomains freeMail = FreeMailDomains.shipped().with(config.identity().extraFreeMailDomains());
    Functions f = functions(freeMail, keys);
    String runId = context.runId();
    Map<Source, Dataset<Row>> silver = readSilver(spark, config, runId);

    Dataset<Row> customers = silver.containsKey(Source.CUSTOMERS)
        ? customerAccounts(silver.get(Source.CUSTOMERS), f).persist(StorageLevel.MEMORY_AND_DISK()) : null;
    Map<Source, Dataset<Row>> keyed = new LinkedHashMap<>();
    for (Map.Entry<Source, Dataset<Row>> e : silver.entrySet()) {
      try (var stage = StageDescription.of(spark, "identity: key " + e.getKey().id())) {
        keyed.put(e.getKey(), keyRows(e.getKey(), e.getValue(), customers, f));
      }
    }
    Dataset<Row> known = keyed.get(Source.INVOICES).select(Keyed.ACCOUNT_KEY);
    if (keyed.containsKey(Source.CUSTOMERS)) {
      known = known.union(keyed.get(Source.CUSTOMERS).select(Keyed.ACCOUNT_KEY));
    }
    // Renamed, so joining it back onto the rows it came from is no ambiguous self-join.
    known = known.where(col(Keyed.ACCOUNT_KEY).isNotNull()).distinct()
        .select(col(Keyed.ACCOUNT_KEY).as("_known_account"), lit(true).as("_known"))
        .persist(StorageLevel.MEMORY_AND_DISK());

    Map<String, Long> written = new LinkedHashMap<>();
    List<Row> matches = new ArrayList<>();
    Timestamp at = context.startedAtTimestamp();
    for (Map.Entry<Source, Dataset<Row>> e : keyed.entrySet()) {
      Source source = e.getKey();
      Dataset<Row> rows = e.getValue()
          .join(broadcast(known), col(Keyed.ACCOUNT_KEY).equalTo(col("_known_account")), "left")
          .drop("_known_account")
          .withColumn(Keyed.MATCHED, coalesce(col("_known"), lit(false)))
          .withColumn(Keyed.IDENTITY_NOTE, when(col(Keyed.ACCOUNT_KEY).isNotNull().and(not(col(Keyed.MATCHED))),
              lit("the account is neither a customer record nor a buyer on an invoice"))
              .otherwise(col(Keyed.IDENTITY_NOTE)))
          .drop("_known")
          .persist(StorageLevel.MEMORY_AND_DISK());
      String table = Keyed.table(source);
      try (var stage = StageDescription.of(spark, "identity: write " + table)) {
        DeltaTables.replace(rows, config.warehouse().tablePath(table), List.of(Lineage.RUN_ID), Lineage.RUN_ID, runId);
      }
      long[] m = matchCounts(rows);
      double rate = m[0] == 0 ? 0.0 : (double) (m[1] + m[2] + m[3]) / m[0];
      matches.add(RowFactory.create(runId, source.id(), m[0], m[1], m[2], m[3], m[4], m[5], rate, at));
      written.put(table, m[0]);
      log.info("identity: {}: {} rows, matched by customer id {}, by e-mail {}, by domain {}; keyed but not a known"
              + " account {}; no key {}; match rate {}", source.id(), m[0], m[1], m[2], m[3], m[4], m[5],
          String.format(Locale.ROOT, "%.2f%%", 100 * rate));
      rows.unpersist();
    }
    DeltaTables.replace(spark.createDataFrame(matches, IdentityMatches.SCHEMA),
        config.warehouse().tablePath(Tables.IDENTITY_MATCHES), List.of(), IdentityMatches.RUN_ID, runId);
    written.put(Tables.IDENTITY_MATCHES, (long) matches.size());
    known.unpersist();
    if (customers != null) {
      customers.unpersist();
    }
    return new JobResult(NAME, written);
  }

  /** rows, matched by customer id / e-mail / domain, keyed but not known, no key. */
  private static long[] matchCounts(Dataset<Row> rows) {
    Column matched = col(Keyed.MATCHED);
    Column type = col(Keyed.MATCH_TYPE);
    Row r = rows.agg(
        count(lit(1)),
        sum(when(matched.and(type.equalTo(Keyed.BY_CUSTOMER_ID)), 1L).otherwise(0L)),
        sum(when(matched.and(type.equalTo(Keyed.BY_EMAIL)), 1L).otherwise(0L)),
        sum(when(matched.and(type.equalTo(Keyed.BY_DOMAIN)), 1L).otherwise(0L)),
        sum(when(col(Keyed.ACCOUNT_KEY).isNotNull().and(not(matched)), 1L).otherwise(0L)),
        sum(when(col(Keyed.ACCOUNT_KEY).isNull(), 1L).otherwise(0L))).first();
    long[] counts = new long[r.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = r.isNullAt(i) ? 0L : r.getLong(i);
    }
    return counts;
  }

  /**
   * One row per customer record: its id, person key and account. The account is the company's
   * website domain, else its corporate e-mail domain, else the person: so a contact writing from
   * free mail still joins the company that lists the website.
   */
  private static Dataset<Row> customerAccounts(Dataset<Row> customers, Functions f) {
    Column email = f.normalize().apply(col(Source.Customers.EMAIL));
    Column website = f.registrable().apply(col(Source.Customers.WEBSITE));
    Dataset<Row> withKeys = customers.withColumn(NORM, email).withColumn("_website", website);
    Column corporateEmail = when(not(f.freeMail().apply(col(NORM + ".domain"))), col(NORM + ".domain"));
    Column corporateSite = when(not(f.freeMail().apply(col("_website"))), col("_website"));
    return withKeys.select(
        col(Source.Customers.CUSTOMER_ID).as("_customer_id"),
        col(NORM + ".email").as("_person"),
        coalesce(corporateSite, corporateEmail, col(NORM + ".email")).as("_customer_account"));
  }

  /** Adds the key columns to one source's rows. */
  private static Dataset<Row> keyRows(Source source, Dataset<Row> rows, Dataset<Row> customers, Functions f) {
    Dataset<Row> keyed = switch (source) {
      case WEB_ANALYTICS -> byDomain(rows, Source.WebAnalytics.DOMAIN, f);
      case SITE_CATEGORIES -> byDomain(rows, Source.SiteCategories.DOMAIN, f);
      case INVOICES -> byEmail(rows, Source.Invoices.EMAIL, Source.Invoices.CUSTOMER_ID, customers, f);
      case CUSTOMERS -> byEmail(rows, Source.Customers.EMAIL, Source.Customers.CUSTOMER_ID, customers, f);
      case SUPPORT_TICKETS -> byEmail(rows, Source.SupportTickets.EMAIL, null, customers, f);
      case MARKETING_EVENTS -> byEmail(rows, Source.MarketingEvents.EMAIL, null, customers, f);
      case PRESS_RELEASES -> throw new IllegalArgumentException("press releases carry no customer key");
    };
    return keyed.withColumn(Keyed.PERSON_KEY_HASH, f.hash().apply(col(Keyed.PERSON_KEY)))
        .withColumn(Keyed.ACCOUNT_KEY_HASH, f.hash().apply(col(Keyed.ACCOUNT_KEY)));
  }

  /**
   * Rows keyed by e-mail and, where the source has one, customer id. The account is, in order:
   * the customer record of the id, the customer record of the e-mail, the e-mail's corporate
   * domain or the person, and last "id:" + the source's own customer id.
   */
  private static Dataset<Row> byEmail(Dataset<Row> rows, String emailColumn, String idColumn, Dataset<Row> customers,
      Functions f) {
    Dataset<Row> out = rows.withColumn(NORM, f.normalize().apply(col(emailColumn)));
    Column person = col(NORM + ".email");
    Column domain = col(NORM + ".domain");
    out = out.withColumn(DERIVED, when(person.isNotNull(),
        coalesce(when(not(f.freeMail().apply(domain)), domain), person)));
    Column byId = lit(null).cast("string");
    Column byPerson = lit(null).cast("string");
    if (customers != null) {
      if (idColumn != null) {
        Dataset<Row> ids = customers.groupBy("_customer_id").agg(min("_customer_account").as("_id_account"));
        out = out.join(ids, out.col(idColumn).equalTo(ids.col("_customer_id")), "left").drop("_customer_id");
        byId = col("_id_account");
      }
      Dataset<Row> people = customers.where(col("_person").isNotNull()).groupBy("_person")
          .agg(min("_customer_account").as("_person_account"));
      out = out.join(people, out.col(NORM + ".email").equalTo(people.col("_person")), "left").drop("_person");
      byPerson = col("_person_account");
    }
    Column ownId = idColumn == null ? lit(null).cast("string")
        : when(col(idColumn).isNotNull(), concat(lit(Keyed.CUSTOMER_ID_KEY_PREFIX), col(idColumn)));
    Column account = coalesce(byId, byPerson, col(DERIVED), ownId);
    Column matchType = when(byId.isNotNull(), lit(Keyed.BY_CUSTOMER_ID))
        .when(byPerson.isNotNull().or(col(DERIVED).isNotNull()), lit(Keyed.BY_EMAIL))
        .when(ownId.isNotNull(), lit(Keyed.BY_CUSTOMER_ID));
    Column note = when(account.isNull(), when(col(NORM + ".reason").isNotNull(),
            concat(lit("e-mail rejected: "), col(NORM + ".reason")))
        .otherwise(lit("no customer id or e-mail")));
    return out.withColumn(Keyed.PERSON_KEY, person)
        .withColumn(Keyed.REGISTRABLE_DOMAIN, domain)
        .withColumn(Keyed.ACCOUNT_KEY, account)
        .withColumn(Keyed.MATCH_TYPE, matchType)
        .withColumn(Keyed.IDENTITY_NOTE, note)
        .drop(NORM, DERIVED, "_id_account", "_person_account");
  }

  /** Rows keyed by a host name or domain: the registrable domain, unless it is a free-mail provider. */
  private static Dataset<Row> byDomain(Dataset<Row> rows, String domainColumn, Functions f) {
    Column domain = f.registrable().apply(col(domainColumn));
    Dataset<Row> out = rows.withColumn(Keyed.REGISTRABLE_DOMAIN, domain);
    Column free = f.freeMail().apply(col(Keyed.REGISTRABLE_DOMAIN));
    Column account = when(col(Keyed.REGISTRABLE_DOMAIN).isNotNull().and(not(free)), col(Keyed.REGISTRABLE_DOMAIN));
    return out.withColumn(Keyed.PERSON_KEY, lit(null).cast("string"))
        .withColumn(Keyed.ACCOUNT_KEY, account)
        .withColumn(Keyed.MATCH_TYPE, when(account.isNotNull(), lit(Keyed.BY_DOMAIN)))
        .withColumn(Keyed.IDENTITY_NOTE, when(col(Keyed.REGISTRABLE_DOMAIN).isNull(),
                concat(lit("no registrable domain in '"), col(domainColumn), lit("'")))
            .when(free, lit("a free-mail domain is no company key")));
  }

  /** The silver rows of this run, for every source with a customer key. */
  private static Map<Source, Dataset<Row>> readSilver(SparkSession spark, AppConfig config, String runId) {
    Map<Source, Dataset<Row>> out = new LinkedHashMap<>();
    for (Source source : Source.values()) {
      if (source == Source.PRESS_RELEASES) {
        continue;
      }
      String path = config.warehouse().tablePath(Silver.table(source));
      if (DeltaTable.isDeltaTable(spark, path)) {
        out.put(source, spark.read().format("delta").load(path).where(col(Lineage.RUN_ID).equalTo(runId)));
      }
    }
    if (!out.containsKey(Source.INVOICES) || out.get(Source.INVOICES).isEmpty()) {
      throw new CustomerValueException("identity: silver_invoices has no rows for run '" + runId
          + "'; run clean with --run-id " + runId + " first");
    }
    return out;
  }
}

package com.customervalue.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.clean.CleanJob;
import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.RunContext;
import com.customervalue.sample.SampleGenerator;
import com.customervalue.sample.SampleSpec;
import com.customervalue.sources.Source;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a generated sample: ingest, clean, identity; then every keyed row's account is
 * compared with the account the generator knows it belongs to (truth/identities.csv). The sample is
 * generated in two parts, so every source is read as a folder of part files, as a large sample is.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityTruthTest {
  private static final int PARTS = 2;
  private static final Map<String, String> REASON_OF_MESS = Map.of(
      "wrong_field_count", "malformed_record", "bad_json", "malformed_record", "bad_date", "bad_value",
      "bad_number", "bad_value", "missing_required", "missing_required");

  @TempDir static Path dir;
  private Path warehouse;
  private Dataset<Row> truth;
  private JsonNode manifest;

  /** Source -> the file it comes from in the sample. */
  private static final Map<Source, String> FILES = Map.of(
      Source.INVOICES, "invoices.csv", Source.CUSTOMERS, "customers.csv",
      Source.SUPPORT_TICKETS, "support_tickets.json", Source.WEB_ANALYTICS, "web_analytics.csv",
      Source.MARKETING_EVENTS, "marketing_events.csv", Source.SITE_CATEGORIES, "site_categories.csv");

  @BeforeAll
  void runThePipeline(SparkSession spark) throws Exception {
    Path sample = dir.resolve("sample");
    warehouse = dir.resolve("warehouse");
    SampleGenerator.generate(new SampleSpec(sample, 800, 3, 7L, LocalDate.of(2014, 1, 1), 90, List.of(), PARTS));
    AppConfig config = ConfigLoader.loadFromString("customer-value { input-root = \"" + sample + "\", "
        + "warehouse.root = \"" + warehouse + "\" }");
    RunContext context = new RunContext("truth", Optional.empty(), Instant.parse("2024-01-01T00:00:00Z"));
    new IngestJob().run(spark, config, context);
    new CleanJob().run(spark, config, context);
    new IdentityJob(KeyHasher.of("test", "identity-truth-test-key")).run(spark, config, context);
    truth = spark.read().option("header", "true").csv(sample.resolve("truth/identities.csv").toString()).cache();
    manifest = new ObjectMapper().readTree(sample.resolve("truth/manifest.json").toFile()).get("files");
  }

  /** The keyed rows of a source with the generator's account for each, as column "truth". */
  private Dataset<Row> withTruth(SparkSession spark, Source source) {
    Dataset<Row> rows = spark.read().format("delta").load(warehouse.resolve(Keyed.table(source)).toString());
    List<String[]> lookups = switch (source) {
      case INVOICES -> List.of(new String[] {"customer_id", Source.Invoices.CUSTOMER_ID},
          new String[] {"email", Source.Invoices.EMAIL});
      case CUSTOMERS -> List.<String[]>of(new String[] {"customer_id", Source.Customers.CUSTOMER_ID});
      case SUPPORT_TICKETS -> List.<String[]>of(new String[] {"email", Source.SupportTickets.EMAIL});
      case MARKETING_EVENTS -> List.<String[]>of(new String[] {"email", Source.MarketingEvents.EMAIL});
      case WEB_ANALYTICS -> List.<String[]>of(new String[] {"hostname", Source.WebAnalytics.DOMAIN});
      case SITE_CATEGORIES -> List.<String[]>of(new String[] {"site_domain", Source.SiteCategories.DOMAIN});
      default -> throw new IllegalArgumentException(source.id());
    };
    Column[] found = new Column[lookups.size()];
    for (int i = 0; i < lookups.size(); i++) {
      String[] lookup = lookups.get(i);
      Dataset<Row> t = truth.where(col("kind").equalTo(lookup[0]))
          .select(col("value").as("_v" + i), col("account_key").as("_t" + i));
      rows = rows.join(t, rows.col(lookup[1]).equalTo(t.col("_v" + i)), "left");
      found[i] = col("_t" + i);
    }
    return rows.withColumn("truth", coalesce(found));
  }

  @Test
  void everySourceReachesPrecisionAndRecallOfNinetyEightPercentAndThePlantedMatchRate(SparkSession spark) {
    for (Map.Entry<Source, String> e : FILES.entrySet()) {
      Dataset<Row> rows = withTruth(spark, e.getKey());
      Column right = col(Keyed.MATCHED).and(col(Keyed.ACCOUNT_KEY).equalTo(col("truth")));
      Row r = rows.agg(sum(lit(1L)), sum(when(col(Keyed.MATCHED), 1L).otherwise(0L)),
          sum(when(right, 1L).otherwise(0L)), sum(when(col("truth").isNotNull(), 1L).otherwise(0L))).first();
      long total = r.getLong(0);
      long matched = r.getLong(1);
      long correct = r.getLong(2);
      long matchable = r.getLong(3);
      double precision = (double) correct / matched;
      double recall = (double) correct / matchable;
      JsonNode file = manifest.get(e.getValue());
      double planted = file.get("matchable_rows").asDouble() / file.get("eligible_rows").asDouble();
      double rate = (double) matched / total;
      String what = String.format("%s: rows %d, matched %d, correct %d, matchable %d, precision %.4f, recall %.4f,"
          + " match rate %.4f, planted %.4f", e.getKey().id(), total, matched, correct, matchable, precision, recall,
          rate, planted);
      System.err.println(what);
      assertThat(precision).as(what).isGreaterThanOrEqualTo(0.98);
      assertThat(recall).as(what).isGreaterThanOrEqualTo(0.98);
      assertThat(rate).as(what).isGreaterThanOrEqualTo(planted - 1e-9);
    }
  }

  @Test
  void everyLineOfEveryPartIsReadOnceAndThePlantedBadRowsOfAllPartsAreQuarantined(SparkSession spark) {
    Map<String, Long> expectedRead = new TreeMap<>();
    Map<String, Long> expectedQuarantine = new TreeMap<>();
    manifest.fields().forEachRemaining(file -> {
      if (file.getKey().startsWith("truth/")) {
        return;
      }
      String source = file.getKey().substring(0, file.getKey().indexOf('.'));
      expectedRead.put(source, file.getValue().get("rows").asLong());
      file.getValue().get("mess").fields().forEachRemaining(mess -> {
        String reason = REASON_OF_MESS.get(mess.getKey());
        if (reason != null && mess.getValue().asLong() > 0) {
          expectedQuarantine.merge(source + ":" + reason, mess.getValue().asLong(), Long::sum);
        }
      });
    });
    assertThat(expectedRead).hasSize(7);
    Map<String, Long> read = new TreeMap<>();
    spark.read().format("delta").load(warehouse.resolve(Tables.DATA_QUALITY).toString())
        .where("stage = 'ingest' and check_name = 'rows_read'").collectAsList()
        .forEach(r -> read.put(r.getAs("source"), r.getAs("row_count")));
    assertThat(read).isEqualTo(expectedRead);
    Map<String, Long> quarantined = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(warehouse.resolve(Tables.QUARANTINE).toString())
        .where("stage = 'ingest'").groupBy("source", "reason_code").count().collectAsList()) {
      quarantined.put(r.getString(0) + ":" + r.getString(1), r.getLong(2));
    }
    assertThat(quarantined).isEqualTo(expectedQuarantine);
    assertThat(spark.read().format("delta").load(warehouse.resolve(Tables.bronze(Source.INVOICES)).toString())
        .select(Lineage.SOURCE_FILE).distinct().count()).isEqualTo(PARTS);
  }

  @Test
  void identityMatchesReportsEverySource(SparkSession spark) {
    List<Row> matches = spark.read().format("delta").load(warehouse.resolve("identity_matches").toString())
        .orderBy("source").collectAsList();
    assertThat(matches).extracting(r -> r.<String>getAs("source")).containsExactly("customers", "invoices",
        "marketing_events", "site_categories", "support_tickets", "web_analytics");
    for (Row m : matches) {
      long parts = m.<Long>getAs("matched_by_customer_id") + m.<Long>getAs("matched_by_email")
          + m.<Long>getAs("matched_by_domain") + m.<Long>getAs("keyed_not_matched") + m.<Long>getAs("unkeyed");
      assertThat(parts).as(m.toString()).isEqualTo(m.<Long>getAs("rows"));
    }
  }

  @Test
  void emailsReachReportsOnlyAsKeyedHashes(SparkSession spark) {
    Row row = spark.read().format("delta").load(warehouse.resolve(Keyed.table(Source.SUPPORT_TICKETS)).toString())
        .where(col(Keyed.PERSON_KEY).isNotNull()).first();
    String hash = row.getAs(Keyed.PERSON_KEY_HASH);
    assertThat(hash).hasSize(64).matches("[0-9a-f]+").isEqualTo(KeyHasher.of("test", "identity-truth-test-key")
        .hash(row.getAs(Keyed.PERSON_KEY)));
    assertThat(hash).isNotEqualTo(KeyHasher.of("test", "another-key-of-16-chars").hash(row.getAs(Keyed.PERSON_KEY)));
  }
}

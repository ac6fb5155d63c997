package com.customervalue.identity;

import static com.customervalue.testing.Inputs.INVOICE_HEADER;
import static com.customervalue.testing.Inputs.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.clean.CleanJob;
import com.customervalue.config.AppConfig;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.ingest.IngestJob;
import com.customervalue.job.RunContext;
import com.customervalue.testing.Inputs;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class IdentityJobTest {
  @TempDir Path input;
  @TempDir Path warehouse;

  private static final KeyHasher HASHER = KeyHasher.of("test", "identity-job-test-key");

  /** key column of keyed_<source> per value of {@code by}, as "account_key match_type matched". */
  private Map<String, String> keyed(SparkSession spark, String source, String by) {
    return spark.read().format("delta").load(warehouse.resolve("keyed_" + source).toString()).collectAsList()
        .stream().collect(Collectors.toMap(r -> String.valueOf(r.<Object>getAs(by)),
            r -> r.getAs("account_key") + " " + r.getAs("match_type") + " " + r.getAs("matched")
                + (r.getAs("identity_note") == null ? "" : " | " + r.getAs("identity_note"))));
  }

  @Test
  void accountsRollUpThroughCustomersDomainsAndFreeMailRules(SparkSession spark) {
    Inputs.write(input, "customers.csv",
        "Customer ID,Company,Contact Name,Email,Website,Industry,City,State,Postcode,Latitude,Longitude,UTC Offset",
        "C1,Acme,Ann,Ann.Lee+news@Acme.com,https://www.acme.com/about,retail,,,,,,",
        "C2,Acme,Bob,bob.roe@gmail.com,acme.com,retail,,,,,,",
        "C3,,Cid,C.i.d+x@googlemail.com,,,,,,,,",
        "C4,Foo Ltd,Dee,dee@eng.foo.co.uk,,,,,,,,");
    Inputs.write(input, "invoices.csv", INVOICE_HEADER,
        invoice("INV-1", "2015-03-02 10:00:00", "C2", "", "SLS print", "1", "5.00", "paid"),
        invoice("INV-2", "2015-03-02 10:00:00", "", "BOB.ROE@gmail.com", "SLS print", "1", "5.00", "paid"),
        invoice("INV-3", "2015-03-02 10:00:00", "", "cid@gmail.com", "SLS print", "1", "5.00", "paid"),
        invoice("INV-4", "2015-03-02 10:00:00", "", "new@shop.bar.com.au", "SLS print", "1", "5.00", "paid"),
        invoice("INV-5", "2015-03-02 10:00:00", "C77", "", "SLS print", "1", "5.00", "paid"),
        invoice("INV-6", "2015-03-02 10:00:00", "", "not-an-address", "SLS print", "1", "5.00", "paid"));
    Inputs.write(input, "web_analytics.csv", "Date,Hostname,Source / Medium,Sessions,Pageviews",
        "20150302,www.foo.co.uk,google / organic,3,9",
        "20150302,mail.google.com,direct,1,1",
        "20150302,visitor.org,direct,1,1");
    AppConfig config = Inputs.config(input, warehouse, "");
    RunContext context = new RunContext("r1", Optional.empty(), Instant.parse("2024-05-01T00:00:00Z"));
    new IngestJob().run(spark, config, context);
    new CleanJob().run(spark, config, context);

    new IdentityJob(HASHER).run(spark, config, context);

    assertThat(keyed(spark, "customers", "customer_id")).containsOnly(
        Map.entry("C1", "acme.com customer_id true"),
        Map.entry("C2", "acme.com customer_id true"),
        Map.entry("C3", "cid@gmail.com customer_id true"),
        Map.entry("C4", "foo.co.uk customer_id true"));
    assertThat(keyed(spark, "invoices", "invoice_id")).containsOnly(
        Map.entry("INV-1", "acme.com customer_id true"),
        Map.entry("INV-2", "acme.com email true"),
        Map.entry("INV-3", "cid@gmail.com email true"),
        Map.entry("INV-4", "bar.com.au email true"),
        Map.entry("INV-5", "id:C77 customer_id true"),
        Map.entry("INV-6", "null null false | e-mail rejected: 'not-an-address' has no '@'"));
    assertThat(keyed(spark, "web_analytics", "domain")).containsOnly(
        Map.entry("www.foo.co.uk", "foo.co.uk domain true"),
        Map.entry("mail.google.com", "google.com domain false"
            + " | the account is neither a customer record nor a buyer on an invoice"),
        Map.entry("visitor.org", "visitor.org domain false"
            + " | the account is neither a customer record nor a buyer on an invoice"));
    Row hashed = spark.read().format("delta").load(warehouse.resolve("keyed_invoices").toString())
        .where("invoice_id = 'INV-3'").first();
    assertThat(hashed.<String>getAs("account_key_hash")).isEqualTo(HASHER.hash("cid@gmail.com"));
    assertThat(hashed.<String>getAs("person_key")).isEqualTo("cid@gmail.com");
  }

  @Test
  void theHashKeyComesFromTheEnvironmentAndMustBeLongEnough() {
    assertThatThrownBy(() -> KeyHasher.fromEnvironment("CV_KEY", Map.of()))
        .isInstanceOf(CustomerValueException.class)
        .hasMessageStartingWith("identity: the environment variable CV_KEY is not set");
    assertThatThrownBy(() -> KeyHasher.fromEnvironment("CV_KEY", Map.of("CV_KEY", "short")))
        .isInstanceOf(CustomerValueException.class)
        .hasMessage("identity: the key in CV_KEY has 5 characters; at least 16 are needed");
    KeyHasher hasher = KeyHasher.fromEnvironment("CV_KEY", Map.of("CV_KEY", "a-long-enough-key-1"));
    assertThat(hasher.toString()).doesNotContain("a-long-enough-key-1");
    assertThat(hasher.hash("ann@acme.com")).hasSize(64).isNotEqualTo(HASHER.hash("ann@acme.com"));
  }
}

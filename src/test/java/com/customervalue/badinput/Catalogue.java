package com.customervalue.badinput;

import static com.customervalue.badinput.BadInputCase.of;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.badinput.BadInputCase.Fixture;
import com.customervalue.badinput.BadInputCase.Stage;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.errors.DataQualityException;
import com.customervalue.errors.SourceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;

/**
 * The bad-input catalogue: every case names its source, the input and the expected outcome. Data
 * is a few lines per case, in the embedded sample's format; only invoices (required) and the
 * case's source are read. Stages: ingest only unless the case says {@code through(...)}.
 */
final class Catalogue {
  private static final String INGEST = "ingest";
  private static final String CLEAN = "clean";

  private Catalogue() {}

  static List<BadInputCase> cases() {
    return List.of(
        // ---- invoices (CSV, required) ----------------------------------------------------------
        of("invoices", "missing required column")
            .input("the header has no 'Invoice Date'")
            .file("invoices.csv", "Invoice Number,Customer ID,Product,Quantity,Unit Price", "INV-1,C1,SLS print,1,2.00")
            .refused(SourceException.class, "'invoices'", "'invoice_date' (mapped to 'Invoice Date')",
                "found: Invoice Number, Customer ID, Product, Quantity, Unit Price"),
        of("invoices", "renamed column without mapping")
            .input("'Invoice Date' is called 'Date' and config maps nothing")
            .file("invoices.csv", Rows.INVOICES.replace("Invoice Date", "Date"), Rows.invoice("INV-1"))
            .refused(SourceException.class, "'invoices'", "'invoice_date' (mapped to 'Invoice Date')",
                "found: Invoice Number, Date, Customer ID"),
        of("invoices", "wrong delimiter")
            .input("a semicolon-separated export read with the default comma")
            .file("invoices.csv", Rows.INVOICES.replace(',', ';'), Rows.invoice("INV-1").replace(',', ';'))
            .refused(SourceException.class, "'invoices'", "'invoice_date' (mapped to 'Invoice Date')",
                "Invoice Number;Invoice Date", "delimiter"),
        of("invoices", "wrong type in a column")
            .input("Quantity 'two'")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-2", "Quantity", "two"),
                Rows.invoice("INV-3"))
            .quarantines(INGEST, "bad_value", "quantity", "two")
            .keeps("bronze_invoices", "INV-1", "INV-3"),
        of("invoices", "unparseable dates")
            .input("Invoice Date 'yesterday' and the impossible '2015-02-30 10:00:00'")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Invoice Date", "yesterday"),
                Rows.invoice("INV-3", "Invoice Date", "2015-02-30 10:00:00"))
            .quarantines(INGEST, "bad_value", "invoice_date", "yesterday")
            .quarantines(INGEST, "bad_value", "invoice_date", "2015-02-30 10:00:00")
            .keeps("bronze_invoices", "INV-1"),
        of("invoices", "ambiguous dates")
            .input("'03/04/2015 10:00' (day or month first?) and '2015-03-04' (no time) against yyyy-MM-dd HH:mm:ss")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Invoice Date", "03/04/2015 10:00"),
                Rows.invoice("INV-3", "Invoice Date", "2015-03-04"))
            .quarantines(INGEST, "bad_value", "invoice_date", "03/04/2015 10:00")
            .quarantines(INGEST, "bad_value", "invoice_date", "2015-03-04")
            .keeps("bronze_invoices", "INV-1")
            .check(r -> assertThat(reasons(r)).allMatch(reason -> reason.contains("as yyyy-MM-dd HH:mm:ss"))),
        of("invoices", "date in the future")
            .input("Invoice Date 2099-03-02, long after the run started (2024-05-01)")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Invoice Date", "2099-03-02 14:05:00"))
            .quarantines(INGEST, "out_of_range", "invoice_date", "2099-03-02 14:05:00")
            .keeps("bronze_invoices", "INV-1")
            .check(r -> assertThat(reasons(r)).singleElement().asString().contains("in the future")),
        of("invoices", "negative amount on a sale")
            .input("Unit Price -12.50 on a paid line of quantity 3")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Unit Price", "-12.50"))
            .through(Stage.CLEAN)
            .quarantines(CLEAN, "negative_amount", "amount", "-37.50")
            .keeps("silver_invoices", "INV-1"),
        of("invoices", "absurd amounts")
            .input("Unit Price 99999999999999999999 (beyond decimal(18,2)) and Quantity 3000000000 (beyond an integer)")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Unit Price", "99999999999999999999"),
                Rows.invoice("INV-3", "Quantity", "3000000000"))
            .quarantines(INGEST, "out_of_range", "unit_price", "99999999999999999999")
            .quarantines(INGEST, "out_of_range", "quantity", "3000000000")
            .keeps("bronze_invoices", "INV-1"),
        of("invoices", "currency symbols and thousands separators")
            .input("Unit Price '$12.50' and '1,234.50'")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-2", "Unit Price", "$12.50"),
                Rows.invoice("INV-3", "Unit Price", "1,234.50"))
            .quarantines(INGEST, "bad_value", "unit_price", "$12.50")
            .quarantines(INGEST, "bad_value", "unit_price", "1,234.50")
            .keeps("bronze_invoices", "INV-1")
            .check(r -> assertThat(reasons(r)).allMatch(reason -> reason.contains("currency symbols"))),
        of("invoices", "non-UTF-8 bytes")
            .input("a Latin-1 export: 'Müller GmbH' as the single byte 0xFC")
            .bytes("invoices.csv", (Rows.INVOICES + "\n" + Rows.invoice("INV-1") + "\n"
                + Rows.invoice("INV-2", "Company", "Müller GmbH") + "\n").getBytes(StandardCharsets.ISO_8859_1))
            .quarantines(INGEST, "bad_encoding", "company", "M\uFFFDller GmbH")
            .keeps("bronze_invoices", "INV-1")
            .check(r -> assertThat(reasons(r)).singleElement().asString().contains("options.encoding")),
        of("invoices", "embedded line break in a quoted value")
            .input("Company \"Acme<newline>Robotics\" in quotes; the default reader is line by line")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-2", "Company", "Acme\nRobotics"),
                Rows.invoice("INV-3"))
            .quarantines(INGEST, "malformed_record", null, null)
            .quarantines(INGEST, "malformed_record", null, null)
            .reads("invoices", 4)
            .keeps("bronze_invoices", "INV-1", "INV-3")
            .check(r -> assertThat(reasons(r)).allMatch(reason -> reason.contains("multiLine"))),
        of("invoices", "embedded line break, multiLine on")
            .input("the same file with customer-value.sources.invoices.options.multiLine = true")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-2", "Company", "Acme\nRobotics"),
                Rows.invoice("INV-3"))
            .config("customer-value.sources.invoices.options.multiLine = \"true\"")
            .accepted()
            .reads("invoices", 3)
            .keeps("bronze_invoices", "INV-1", "INV-2", "INV-3")
            .check(r -> assertThat(value(r, "bronze_invoices", "invoice_id", "INV-2", "company"))
                .isEqualTo("Acme\nRobotics")),
        of("invoices", "quotes inside values")
            .input("Company 'Acme \"Robo\" Inc' escaped as CSV does, and a line whose opening quote is never closed")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-2", "Company", "Acme \"Robo\" Inc"),
                "INV-3,2015-03-02 14:05:00,C1,Ann Lee,\"Acme Robotics,ann@acme.com,SLS print,SLS,,3,12.50,,USD,paid",
                Rows.invoice("INV-4"))
            .quarantines(INGEST, "malformed_record", null, null)
            .keeps("bronze_invoices", "INV-1", "INV-2", "INV-4")
            .check(r -> assertThat(value(r, "bronze_invoices", "invoice_id", "INV-2", "company"))
                .isEqualTo("Acme \"Robo\" Inc"))
            .check(r -> assertThat(reasons(r)).singleElement().asString().contains("unclosed quote")),
        of("invoices", "truncated last line")
            .input("the file ends mid-line: 'INV-2,2015-03-02 14:0' without a newline")
            .bytes("invoices.csv", (Rows.INVOICES + "\n" + Rows.invoice("INV-1") + "\nINV-2,2015-03-02 14:0")
                .getBytes(StandardCharsets.UTF_8))
            .quarantines(INGEST, "malformed_record", null, null)
            .reads("invoices", 2)
            .keeps("bronze_invoices", "INV-1")
            .check(r -> assertThat(r.rows("quarantine")).singleElement()
                .satisfies(q -> assertThat(q.<String>getAs("raw_record")).isEqualTo("INV-2,2015-03-02 14:0"))),
        of("invoices", "empty file")
            .input("invoices.csv of 0 bytes")
            .bytes("invoices.csv", new byte[0])
            .refused(SourceException.class, "'invoices'", "it is required but has no data rows", "invoices.csv"),
        of("invoices", "header only")
            .input("the header line and no data")
            .file("invoices.csv", Rows.INVOICES)
            .refused(SourceException.class, "'invoices'", "it is required but has no data rows", "invoices.csv"),
        of("invoices", "duplicate invoice lines")
            .input("the line of INV-1 twice, byte for byte")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Product", "FDM print"))
            .through(Stage.CLEAN)
            .removes("duplicate_lines", 1)
            .keeps("silver_invoices", "INV-1", "INV-2"),
        of("invoices", "huge single field")
            .input("a 200,001-digit Quantity and a 2,000,000-character Product")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"),
                Rows.invoice("INV-2", "Quantity", "3" + "9".repeat(200_000)),
                Rows.invoice("INV-3", "Product", "x".repeat(2_000_000)))
            .quarantines(INGEST, "out_of_range", "quantity", "3" + "9".repeat(200_000))
            .keeps("bronze_invoices", "INV-1", "INV-3")
            .check(r -> assertThat(value(r, "bronze_invoices", "invoice_id", "INV-3", "product")).hasSize(2_000_000)),
        of("invoices", "source path that does not exist")
            .input("sources.invoices.path = exports/invoices-2015.csv, which is not there")
            .config("customer-value.sources.invoices.path = \"exports/invoices-2015.csv\"")
            .refused(SourceException.class, "'invoices'", "no file matches the path", "exports/invoices-2015.csv"),
        of("invoices", "truncated gzip file")
            .input("invoices.csv.gz cut off half way")
            .bytes("invoices.csv.gz", truncatedGzip())
            .config("customer-value.sources.invoices.path = \"invoices.csv.gz\"")
            .refused(SourceException.class, "'invoices'", "invoices.csv.gz", "Unexpected end of input stream"),
        of("invoices", "most rows bad")
            .input("2 of 3 lines with dates 'yesterday' and 'tomorrow', above the 5% quarantine limit")
            .file("invoices.csv", Rows.INVOICES, Rows.invoice("INV-1"), Rows.invoice("INV-2", "Invoice Date", "yesterday"),
                Rows.invoice("INV-3", "Invoice Date", "tomorrow"))
            .config("customer-value.ingest.max-quarantine-fraction = 0.05")
            .stopped(DataQualityException.class, "'invoices'", "2 of 3 rows", "column 'invoice_date'", "'tomorrow'")
            .quarantines(INGEST, "bad_value", "invoice_date", "yesterday")
            .quarantines(INGEST, "bad_value", "invoice_date", "tomorrow"),
        of("invoices", "s3a path without permission")
            .input("s3a://<bucket>/input/invoices.csv read with a wrong secret key (HTTP 403)")
            .onS3("denied")
            .refused(SourceException.class, "'invoices'", "{input}/invoices.csv", "access denied by the object store (HTTP 403)")
            .notMentioning(Harness.WRONG_SECRET),
        of("invoices", "s3a bucket that does not exist")
            .input("s3a://<bucket that was never created>/input/invoices.csv")
            .onS3("missing")
            .refused(SourceException.class, "'invoices'", "{input}/invoices.csv"),

        // ---- customers (CSV) -------------------------------------------------------------------
        of("customers", "coordinates out of range")
            .input("Latitude 123.4 and UTC Offset +25")
            .file("customers.csv", Rows.CUSTOMERS, Rows.customer("C1"), Rows.customer("C2", "Latitude", "123.4"),
                Rows.customer("C3", "UTC Offset", "+25"))
            .quarantines(INGEST, "out_of_range", "latitude", "123.4")
            .quarantines(INGEST, "out_of_range", "utc_offset", "+25")
            .keeps("bronze_customers", "C1"),
        of("customers", "personal data in a failing file")
            .input("a Latin-1 CRM export: 2 of 3 contact names 'Jörg Müller' with byte 0xFC, above the 5% limit")
            .bytes("customers.csv", (Rows.CUSTOMERS + "\n" + Rows.customer("C1") + "\n"
                + Rows.customer("C2", "Contact Name", "Jörg Müller") + "\n"
                + Rows.customer("C3", "Contact Name", "Jörg Müller") + "\n").getBytes(StandardCharsets.ISO_8859_1))
            .config("customer-value.ingest.max-quarantine-fraction = 0.05")
            .stopped(DataQualityException.class, "'customers'", "column 'contact_name'", "personal data")
            .notMentioning("M\uFFFDller", "ller")
            .quarantines(INGEST, "bad_encoding", "contact_name", "J\uFFFDrg M\uFFFDller")
            .quarantines(INGEST, "bad_encoding", "contact_name", "J\uFFFDrg M\uFFFDller"),
        of("customers", "URLs without scheme")
            .input("Website 'acme.com/about', 'www.roe.co.uk:8080' and 'not a website'")
            .file("customers.csv", Rows.CUSTOMERS, Rows.customer("C1", "Website", "acme.com/about"),
                Rows.customer("C2", "Website", "www.roe.co.uk:8080", "Email", "bo@gmail.com"),
                Rows.customer("C3", "Website", "not a website", "Email", "cy@cyco.com"))
            .through(Stage.IDENTITY)
            .accepted()
            .keeps("keyed_customers", "C1", "C2", "C3")
            .check(r -> assertThat(column(r, "keyed_customers", "customer_id", "account_key"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("C1", "acme.com", "C2", "roe.co.uk", "C3", "cyco.com"))),
        of("customers", "renamed column without mapping")
            .input("'Customer ID' is called 'Client ID'")
            .file("customers.csv", Rows.CUSTOMERS.replace("Customer ID", "Client ID"), Rows.customer("C1"))
            .refused(SourceException.class, "'customers'", "'customer_id' (mapped to 'Customer ID')", "Client ID"),

        // ---- support_tickets (JSON Lines) ------------------------------------------------------
        of("support_tickets", "broken JSON line")
            .input("a line cut off inside a value")
            .file("support_tickets.json", Rows.ticket("T1"),
                "{\"id\":\"T2\",\"customer\":{\"email\":\"bo@roe.com\"},\"createdAt\":\"2015-03-0", Rows.ticket("T3"))
            .quarantines(INGEST, "malformed_record", null, null)
            .keeps("bronze_support_tickets", "T1", "T3"),
        of("support_tickets", "JSON with missing fields")
            .input("T2 has no createdAt (required); T3 has no subject and no closedAt (optional)")
            .file("support_tickets.json", Rows.ticket("T1"), Rows.ticket("T2", "createdAt", null),
                Rows.ticket("T3", "subject", null, "closedAt", null))
            .quarantines(INGEST, "missing_required", "created_at", null)
            .keeps("bronze_support_tickets", "T1", "T3"),
        of("support_tickets", "JSON with extra nesting")
            .input("T2 nests the e-mail one level deeper: customer.contact.email")
            .file("support_tickets.json", Rows.ticket("T1"),
                Rows.ticket("T2", "customer", "{\"contact\":{\"email\":\"bo@roe.com\"}}"))
            .quarantines(INGEST, "missing_required", "email", null)
            .keeps("bronze_support_tickets", "T1"),
        of("support_tickets", "JSON nested differently throughout")
            .input("every line has requester.email instead of customer.email")
            .file("support_tickets.json", Rows.ticket("T1", "customer", null, "requester", Rows.customerEmail("a@acme.com")))
            .refused(SourceException.class, "'support_tickets'", "'email' (mapped to 'customer.email')", "requester"),
        of("support_tickets", "ticket closed before created")
            .input("T2 created 2015-03-05, closed 2015-03-04")
            .file("support_tickets.json", Rows.ticket("T1"),
                Rows.ticket("T2", "createdAt", "\"2015-03-05T00:00:00Z\"", "closedAt", "\"2015-03-04T00:00:00Z\""))
            .through(Stage.CLEAN)
            .quarantines(CLEAN, "closed_before_created", "closed_at", "2015-03-04 00:00:00")
            .keeps("silver_support_tickets", "T1"),
        of("support_tickets", "duplicate ticket ids with different content")
            .input("T1 twice, identical; T2 twice, once closed and once still active")
            .file("support_tickets.json", Rows.ticket("T1"), Rows.ticket("T1"), Rows.ticket("T2"),
                Rows.ticket("T2", "status", "\"active\"", "closedAt", "null"))
            .through(Stage.CLEAN)
            .quarantines(CLEAN, "conflicting_ticket_id", "ticket_id", "T2")
            .quarantines(CLEAN, "conflicting_ticket_id", "ticket_id", "T2")
            .removes("duplicate_lines", 1)
            .keeps("silver_support_tickets", "T1"),
        of("support_tickets", "e-mails with spaces, unicode, no domain")
            .input("' Ann@Acme.com ', 'jörg@bücher.de', 'ann lee@acme.com', 'ann@'")
            .file("support_tickets.json", Rows.ticket("T1", "customer", Rows.customerEmail(" Ann@Acme.com ")),
                Rows.ticket("T2", "customer", Rows.customerEmail("jörg@bücher.de")),
                Rows.ticket("T3", "customer", Rows.customerEmail("ann lee@acme.com")),
                Rows.ticket("T4", "customer", Rows.customerEmail("ann@")))
            .through(Stage.IDENTITY)
            .quarantines(CLEAN, "invalid_email", "email", "ann lee@acme.com")
            .quarantines(CLEAN, "invalid_email", "email", "ann@")
            .keeps("keyed_support_tickets", "T1", "T2")
            .check(r -> assertThat(column(r, "keyed_support_tickets", "ticket_id", "account_key"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("T1", "acme.com", "T2", "xn--bcher-kva.de"))),

        // ---- web_analytics (CSV, dates as yyyyMMdd) ---------------------------------------------
        of("web_analytics", "date in another format and an empty host name")
            .input("Date '2015-03-02' where the format is yyyyMMdd; Hostname empty")
            .file("web_analytics.csv", Rows.WEB, Rows.visit("www.acme.com"), Rows.visit("www.roe.com", "Date", "2015-03-02"),
                Rows.visit(""))
            .quarantines(INGEST, "bad_value", "date", "2015-03-02")
            .quarantines(INGEST, "missing_required", "domain", null)
            .keeps("bronze_web_analytics", "www.acme.com"),
        of("web_analytics", "negative and fractional counts")
            .input("Sessions -5 and 12.5")
            .file("web_analytics.csv", Rows.WEB, Rows.visit("www.acme.com"), Rows.visit("b.com", "Sessions", "-5"),
                Rows.visit("c.com", "Sessions", "12.5"))
            .quarantines(INGEST, "out_of_range", "sessions", "-5")
            .quarantines(INGEST, "bad_value", "sessions", "12.5")
            .keeps("bronze_web_analytics", "www.acme.com"),

        // ---- marketing_events (CSV) ------------------------------------------------------------
        of("marketing_events", "value outside the allowed ones")
            .input("Event 'bounce' (allowed: sent, open, click, unsubscribe, chat)")
            .file("marketing_events.csv", Rows.MARKETING, Rows.event("March news"),
                Rows.event("Bounce news", "Event", "bounce"))
            .quarantines(INGEST, "not_allowed", "event_type", "bounce")
            .keeps("bronze_marketing_events", "March news"),
        of("marketing_events", "e-mail without a domain")
            .input("Email Address 'ann' (a required column)")
            .file("marketing_events.csv", Rows.MARKETING, Rows.event("March news"),
                Rows.event("No domain", "Email Address", "ann"))
            .through(Stage.CLEAN)
            .quarantines(CLEAN, "invalid_email", "email", "ann")
            .keeps("silver_marketing_events", "March news"),

        // ---- press_releases (CSV) --------------------------------------------------------------
        of("press_releases", "unparseable date and missing title")
            .input("Date 'next Tuesday'; Title empty")
            .file("press_releases.csv", Rows.PRESS, Rows.release("New SLS line"),
                Rows.release("Launch", "Date", "next Tuesday"), Rows.release(""))
            .quarantines(INGEST, "bad_value", "release_date", "next Tuesday")
            .quarantines(INGEST, "missing_required", "title", null)
            .keeps("bronze_press_releases", "New SLS line"),

        // ---- site_categories (CSV) -------------------------------------------------------------
        of("site_categories", "votes not a number, and negative")
            .input("votes 'many' and -3")
            .file("site_categories.csv", Rows.SITES, Rows.site("acme.com"), Rows.site("b.com", "votes", "many"),
                Rows.site("c.com", "votes", "-3"))
            .quarantines(INGEST, "bad_value", "votes", "many")
            .quarantines(INGEST, "out_of_range", "votes", "-3")
            .keeps("bronze_site_categories", "acme.com"),
        of("site_categories", "empty optional file")
            .input("site_categories.csv of 0 bytes")
            .bytes("site_categories.csv", new byte[0])
            .accepted()
            .keeps("bronze_invoices", "INV-1", "INV-2")
            .check(r -> assertThat(skipped(r, "site_categories")).contains("site_categories.csv").contains("empty")),
        of("customers", "optional source path that does not exist")
            .input("sources.customers.path = crm/customers-2015.csv, which is not there")
            .config("customer-value.sources.customers.path = \"crm/customers-2015.csv\"")
            .accepted()
            .keeps("bronze_invoices", "INV-1", "INV-2")
            .check(r -> assertThat(skipped(r, "customers")).contains("crm/customers-2015.csv")),

        // ---- configuration -----------------------------------------------------------------------
        of("config", "config key misspelt")
            .input("sources.invoices.colums { invoice_id = \"No\" } in the --config file")
            .config("customer-value.sources.invoices.colums { invoice_id = \"No\" }")
            .through(Stage.CONFIG)
            .refusedByCli(2, "unknown key 'customer-value.sources.invoices.colums.invoice_id'",
                "known keys under 'customer-value.sources.invoices'", "columns"),
        of("config", "column mapping to a column the contract does not have")
            .input("sources.invoices.columns { invoice_no = \"No\" }")
            .config("customer-value.sources.invoices.columns { invoice_no = \"No\" }")
            .through(Stage.CONFIG)
            .refusedByCli(2, "'customer-value.sources.invoices.columns.invoice_no'",
                "'invoice_no' is not a column of source 'invoices'"),

        // ---- features: as_of, on one customer buying monthly 2014-01-15 .. 2015-12-15 ---------------
        of("invoices", "as_of before all data")
            .input("features --as-of 2013-06-01; the first purchase is on 2014-01-15")
            .fixture(Fixture.ONE_CUSTOMER).through(Stage.FEATURES).asOf("2013-06-01")
            .refused(CustomerValueException.class, "as_of 2013-06-01", "before", "2014-01-15"),
        of("invoices", "as_of after all data")
            .input("features --as-of 2020-01-01; the newest purchase is on 2015-12-15, lookback 365 days")
            .fixture(Fixture.ONE_CUSTOMER).through(Stage.FEATURES).asOf("2020-01-01")
            .refused(CustomerValueException.class, "as_of 2020-01-01", "after", "2015-12-15", "365"),
        of("invoices", "as_of just after the data")
            .input("features --as-of 2016-02-01: the label window runs past the data")
            .fixture(Fixture.ONE_CUSTOMER).through(Stage.FEATURES).asOf("2016-02-01")
            .accepted()
            .check(r -> assertThat(r.table("customer_features").where(col("as_of").equalTo(java.sql.Date.valueOf(
                    "2016-02-01"))).selectExpr("labelled", "returned").collectAsList().toString())
                .as("one unlabelled row: its labels are null, never 0").isEqualTo("[[false,null]]")),
        of("invoices", "one customer with the lifetime-value fits on")
            .input("lifetime on, on-fit-failure = fail; one account, so BG/NBD has nothing to learn from")
            .fixture(Fixture.ONE_CUSTOMER).through(Stage.FEATURES).asOf("2016-02-01")
            .config("customer-value.lifetime { enabled = true, on-fit-failure = fail }")
            .refused(com.customervalue.errors.ModelFitException.class,
                "Cannot fit the BG/NBD model for as_of 2016-02-01", "1 customers", "customer-value.lifetime.min-customers"),

        // ---- train ---------------------------------------------------------------------------------
        of("invoices", "a source with one customer")
            .input("one customer buying every month: features build, every label is 1")
            .fixture(Fixture.ONE_CUSTOMER).through(Stage.TRAIN)
            .refused(CustomerValueException.class, "target 'returned'",
                "3 training rows hold 3 with label 1 and 0 with label 0", "2014-10-01, 2015-01-01, 2015-04-01"),
        of("customer_features", "label all 1 in training")
            .input("8 accounts x 2 training snapshots, every returned = 1")
            .fixture(Fixture.LABELS_ALL_ONE_IN_TRAINING).through(Stage.TRAIN)
            .refused(CustomerValueException.class, "target 'returned'",
                "16 training rows hold 16 with label 1 and 0 with label 0", "2020-01-01, 2020-04-01"),
        of("customer_features", "label all 0 out of time")
            .input("training labels mixed; the out-of-time snapshot 2020-07-01 has returned = 0 for all 8")
            .fixture(Fixture.LABELS_ALL_ZERO_OUT_OF_TIME).through(Stage.TRAIN)
            .refused(CustomerValueException.class, "target 'returned'", "out-of-time snapshot 2020-07-01",
                "8 rows hold 0 with label 1 and 8 with label 0"));
  }

  private static List<String> reasons(Harness.Result r) {
    return r.rows("quarantine").stream().map(q -> q.<String>getAs("reason")).toList();
  }

  private static String value(Harness.Result r, String table, String keyColumn, String key, String column) {
    return r.rows(table).stream().filter(x -> key.equals(x.getAs(keyColumn))).findFirst().orElseThrow()
        .getAs(column);
  }

  private static Map<String, String> column(Harness.Result r, String table, String keyColumn, String column) {
    return r.rows(table).stream()
        .collect(Collectors.toMap(x -> x.<String>getAs(keyColumn), x -> String.valueOf(x.<String>getAs(column))));
  }

  /** The detail of the source's "source_skipped" warning in data_quality. */
  private static String skipped(Harness.Result r, String source) {
    List<Row> rows = r.rows("data_quality").stream().filter(x -> source.equals(x.getAs("source"))
        && "source_skipped".equals(x.getAs("check_name"))).toList();
    assertThat(rows).as("a source_skipped warning for %s", source).singleElement()
        .satisfies(x -> assertThat(x.<String>getAs("level")).isEqualTo("warning"));
    return rows.get(0).getAs("detail");
  }

  private static byte[] truncatedGzip() {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      StringBuilder text = new StringBuilder(Rows.INVOICES).append('\n');
      for (int i = 0; i < 3000; i++) {
        text.append(Rows.invoice("INV-" + i, "Quantity", String.valueOf(1 + i % 7))).append('\n');
      }
      gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
      gz.finish();
      byte[] all = bytes.toByteArray();
      return Arrays.copyOf(all, all.length / 2);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

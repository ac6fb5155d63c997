package com.customervalue.sample;

import com.customervalue.sample.MessyFile.Malformed;
import com.customervalue.sample.MessyFile.Row;
import com.customervalue.sample.Simulation.History;
import com.customervalue.sample.Simulation.Line;
import com.customervalue.sample.Simulation.Purchase;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code invoices.csv}: one row per invoice line, with test lines, refunds, duplicates and malformed rows. */
final class InvoiceFile {
  static final String NAME = "invoices.csv";
  static final String[] HEADER = {"Invoice Number", "Invoice Date", "Customer ID", "Customer Name", "Company", "Email",
      "Product", "Process", "License Tier", "Quantity", "Unit Price", "Amount", "Currency", "Status"};
  static final MessyFile.CsvLayout LAYOUT = new MessyFile.CsvLayout(HEADER, new int[] {1},
      new String[] {"2015-13-45 10:00:00", "not a date", "31/12/2015 10:00"}, new int[] {9, 10},
      new int[] {0, 1, 6, 9, 10},
      List.of(Malformed.WRONG_FIELD_COUNT, Malformed.BAD_DATE, Malformed.BAD_NUMBER, Malformed.MISSING_REQUIRED),
      MessRates.DUPLICATE_LINES);
  static final int FIRST_INVOICE_NUMBER = 100_001;
  /** Invoice numbers of part k start at {@code FIRST_INVOICE_NUMBER + k * PART_NUMBER_STRIDE}. */
  static final long PART_NUMBER_STRIDE = 100_000_000L;
  /** A line reaches its account by Customer ID, else by Email. */
  static final Identities.Columns ID_COLUMNS = new Identities.Columns(
      new String[] {Identities.CUSTOMER_ID, Identities.EMAIL}, new int[] {2, 5});

  private static final String[] INTERNAL_LOCALS = {"qa", "test", "ops.test", "demo", "billing-test"};
  private static final String[] TEST_STYLE = {"test@example.com", "test+%d@example.com", "test%d@test.com",
      "testing@mailinator.com", "test.order@example.org"};
  private static final Line[] TEST_PRODUCTS = {
      new Line("FDM print", "FDM", 0, 1, 1600), new Line("SLS print - nylon PA12", "SLS", 0, 1, 4200),
      new Line("SimSoft License Tier 1", "", 1, 1, 125_000), new Line(Simulation.CONSULTING, "", 0, 1, 15_000)};

  /** An invoice before numbering: a customer order or a test order. */
  private record Invoice(LocalDateTime time, int account, int seq, Purchase purchase, TestOrder test) {}

  private record TestOrder(String name, String company, String email, Line line) {}

  /** A line before rendering of Customer ID and Email. */
  private record Spec(LocalDateTime time, String number, int lineNo, History history, int contact, Line line,
                      int quantity, String status, TestOrder test) {}

  private InvoiceFile() {}

  /** The file of one part: its invoice numbers start at the part's own range. */
  static SourceFile build(long seed, SimCalendar cal, List<History> histories, int part) {
    List<Invoice> invoices = new ArrayList<>();
    long realLines = 0;
    for (History h : histories) {
      for (int i = 0; i < h.purchases.size(); i++) {
        Purchase p = h.purchases.get(i);
        invoices.add(new Invoice(p.time(), h.account.index(), i, p, null));
        realLines += p.lines().size();
      }
    }
    SplittableRandom tr = Streams.of(seed, Streams.TEST_LINES, 0);
    long testCount = Math.round(MessRates.TEST_LINES * realLines);
    for (int i = 0; i < testCount; i++) {
      int day = cal.weekday(tr.nextInt(cal.days));
      LocalDateTime time = cal.date(day).atTime(8 + tr.nextInt(10), tr.nextInt(60), tr.nextInt(60));
      invoices.add(new Invoice(time, Integer.MAX_VALUE, i, null, testOrder(tr, i)));
    }
    invoices.sort(Comparator.comparing(Invoice::time).thenComparingInt(Invoice::account)
        .thenComparingInt(Invoice::seq));

    SplittableRandom refunds = Streams.of(seed, Streams.REFUNDS, 0);
    List<Spec> specs = new ArrayList<>();
    long number = FIRST_INVOICE_NUMBER + part * PART_NUMBER_STRIDE;
    if (invoices.size() >= PART_NUMBER_STRIDE) {
      throw new IllegalStateException("A part of " + invoices.size() + " invoices overflows its number range of "
          + PART_NUMBER_STRIDE + "; generate in more parts");
    }
    for (Invoice inv : invoices) {
      String no = Long.toString(number++);
      if (inv.test() != null) {
        specs.add(new Spec(inv.time(), no, 1, null, -1, inv.test().line(), 1, "test", inv.test()));
        continue;
      }
      Purchase p = inv.purchase();
      History h = Simulation.History.of(histories, inv.account());
      for (int l = 0; l < p.lines().size(); l++) {
        Line line = p.lines().get(l);
        specs.add(new Spec(p.time(), no, l + 1, h, p.contact(), line, line.quantity(), "paid", null));
      }
      if (Streams.chance(refunds, MessRates.REFUND_INVOICES)) {
        int day = p.day() + 1 + refunds.nextInt(30);
        int lineIndex = refunds.nextInt(p.lines().size());
        Line line = p.lines().get(lineIndex);
        int qty = line.quantity() == 1 || refunds.nextBoolean() ? line.quantity()
            : 1 + refunds.nextInt(line.quantity());
        LocalDateTime time = cal.start.plusDays(day)
            .atTime(8 + refunds.nextInt(10), refunds.nextInt(60), refunds.nextInt(60));
        if (day < cal.days) {
          specs.add(new Spec(time, "R-" + no, 1, h, p.contact(), line, -qty, "refunded", null));
        }
      }
    }
    specs.sort(Comparator.comparing(Spec::time).thenComparing(Spec::number).thenComparingInt(Spec::lineNo));

    SplittableRandom r = Streams.of(seed, Streams.INVOICE_RENDER, 0);
    List<Row> rows = new ArrayList<>(specs.size());
    for (Spec s : specs) {
      Line line = s.line();
      String tier = line.tier() > 0 ? Integer.toString(line.tier()) : "";
      if (s.test() != null) {
        rows.add(new Row(new String[] {s.number(), Text.DATE_TIME.format(s.time()), "", s.test().name(),
            s.test().company(), s.test().email(), line.product(), line.process(), tier, "1",
            Text.money(line.unitCents()), Text.money(line.unitCents()), "USD", "test"}, Emails.FLAG_TEST, null));
        continue;
      }
      Population.Contact c = s.history().account.contacts().get(s.contact());
      Emails.Rendered email = Emails.render(c, r);
      double u = r.nextDouble();
      String id = u < MessRates.CUSTOMER_ID_MISSING ? "" : c.customerId();
      boolean noEmail = !id.isEmpty() && u < MessRates.CUSTOMER_ID_MISSING + MessRates.EMAIL_MISSING;
      rows.add(new Row(new String[] {s.number(), Text.DATE_TIME.format(s.time()), id, c.name(),
          s.history().account.company(), noEmail ? "" : email.text(), line.product(), line.process(), tier,
          Integer.toString(s.quantity()), Text.money(line.unitCents()), Text.money(s.quantity() * line.unitCents()),
          "USD", s.status()}, noEmail ? 0 : email.flags(), s.history().account.accountKey()));
    }

    MessyFile.Result result = MessyFile.csv(LAYOUT, rows, Streams.of(seed, Streams.MESS, 1));
    Map<String, Long> mess = SourceFile.baseMess(result, true);
    long test = 0;
    long internal = 0;
    long testStyle = 0;
    long zero = 0;
    long refundLines = 0;
    long noId = 0;
    long noEmail = 0;
    for (Row row : result.wellFormed()) {
      String[] f = row.fields();
      String status = f[13];
      String email = f[5].strip().toLowerCase(Locale.ROOT);
      if (status.equals("test")) {
        test++;
        internal += email.endsWith("@" + MessRates.INTERNAL_DOMAIN) ? 1 : 0;
        testStyle += email.startsWith("test") ? 1 : 0;
        zero += f[11].equals("0.00") ? 1 : 0;
      }
      refundLines += status.equals("refunded") ? 1 : 0;
      noId += f[2].isEmpty() ? 1 : 0;
      noEmail += f[5].isEmpty() ? 1 : 0;
    }
    mess.put("test_lines", test);
    mess.put("test_internal_domain", internal);
    mess.put("test_style_email", testStyle);
    mess.put("test_zero_amount", zero);
    mess.put("refund_lines", refundLines);
    mess.put("missing_customer_id", noId);
    mess.put("missing_email", noEmail);
    SourceFile.countEmailMess(result.wellFormed(), 5, mess);
    return new SourceFile(NAME, Text.csv(HEADER), result.lines(), mess, Identities.Keyed.of(ID_COLUMNS, result));
  }

  private static TestOrder testOrder(SplittableRandom r, int i) {
    Line product = TEST_PRODUCTS[r.nextInt(TEST_PRODUCTS.length)];
    long cents = Streams.chance(r, MessRates.TEST_ZERO_AMOUNT) ? 0 : product.unitCents();
    Line line = new Line(product.product(), product.process(), product.tier(), 1, cents);
    if (Streams.chance(r, MessRates.TEST_INTERNAL_DOMAIN)) {
      String local = Streams.pick(r, INTERNAL_LOCALS) + (r.nextBoolean() ? "" : Integer.toString(1 + r.nextInt(99)));
      return new TestOrder(r.nextBoolean() ? "QA Bot" : "Test User", "CustomerValue Internal",
          local + "@" + MessRates.INTERNAL_DOMAIN, line);
    }
    String email = String.format(Locale.ROOT, Streams.pick(r, TEST_STYLE), 1 + r.nextInt(999));
    return new TestOrder("Test Order " + (i + 1), r.nextBoolean() ? "Test Co" : "", email, line);
  }
}

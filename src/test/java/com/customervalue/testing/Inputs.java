package com.customervalue.testing;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Tiny input files and configs pointing at them, for tests. */
public final class Inputs {
  /** The invoices header of the embedded sample format (the default column mapping). */
  public static final String INVOICE_HEADER = "Invoice Number,Invoice Date,Customer ID,Customer Name,Company,Email,"
      + "Product,Process,License Tier,Quantity,Unit Price,Amount,Currency,Status";

  private Inputs() {}

  public static Path write(Path dir, String name, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path writeGzip(Path dir, String name, String... lines) {
    try {
      Path file = dir.resolve(name);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid sample-format invoice line. */
  public static String invoice(String id, String date, String customerId, String email, String product,
      String quantity, String unitPrice, String status) {
    return String.join(",", List.of(id, date, customerId, "Ann Lee", "Acme Robotics", email, product, "SLS", "",
        quantity, unitPrice, "", "USD", status));
  }

  /** Config with inputs under {@code input} and tables under {@code warehouse}, plus extra HOCON. */
  public static AppConfig config(Path input, Path warehouse, String extraHocon) {
    return ConfigLoader.loadFromString("customer-value {\n"
        + "  input-root = \"" + input.toAbsolutePath() + "\"\n"
        + "  warehouse.root = \"" + warehouse.toAbsolutePath() + "\"\n"
        + "}\n" + extraHocon);
  }
}

package com.customervalue.config;

/**
 * Where output tables live.
 *
 * @param root local path or s3a:// URI under which every Delta table is written
 * @param database catalog database the output tables are registered under
 */
public record WarehouseSettings(String root, String database) {

  /** The location of one table, e.g. {@code warehouse/bronze_invoices}. */
  public String tablePath(String table) {
    return root.endsWith("/") ? root + table : root + "/" + table;
  }
}

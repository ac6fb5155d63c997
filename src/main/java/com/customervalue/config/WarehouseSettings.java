package com.customervalue.config;

/**
 * Where output tables live and how the BI tool finds them.
 *
 * @param root local path or s3a:// URI under which every Delta table is written
 * @param database catalog database the output tables are registered under
 * @param register whether jobs register the output tables they write in that database
 * @param symlinkManifest whether jobs write Delta's symlink manifest (for Athena/Presto) after writing an output table
 */
public record WarehouseSettings(String root, String database, boolean register, boolean symlinkManifest) {

  /** The location of one table, e.g. {@code warehouse/bronze_invoices}. */
  public String tablePath(String table) {
    return root.endsWith("/") ? root + table : root + "/" + table;
  }
}

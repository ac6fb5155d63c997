package com.customervalue.config;

/**
 * Thresholds of the ingest job's data-quality checks.
 *
 * @param maxQuarantineFraction above this share of quarantined rows a source fails the run
 * @param maxUnkeyedInvoiceFraction above this share of invoice lines without customer id and
 *     e-mail the run fails; below it they are a recorded warning
 */
public record IngestSettings(double maxQuarantineFraction, double maxUnkeyedInvoiceFraction) {}

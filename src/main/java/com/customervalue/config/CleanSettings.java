package com.customervalue.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the {@code clean} job.
 *
 * @param disabledRules rules switched off, as {@code source.rule}
 * @param internalDomains staff e-mail domains; their orders are tests
 * @param testAddressPatterns regular expressions on the normalised e-mail marking test buyers
 * @param refundReferencePrefix refund invoice numbers are this prefix + the refunded invoice's number
 * @param currency the one reporting currency
 * @param exchangeRates units of {@code currency} per unit of another currency
 */
public record CleanSettings(
    Set<String> disabledRules,
    List<String> internalDomains,
    List<String> testAddressPatterns,
    String refundReferencePrefix,
    String currency,
    Map<String, BigDecimal> exchangeRates) {

  /** Every rule name, as {@code source.rule}; a disabled rule must be one of these. */
  public static final Set<String> RULES = Set.of(
      "invoices.duplicate_lines", "invoices.test_status", "invoices.internal_domain", "invoices.test_address",
      "invoices.zero_amount_invoice", "invoices.negative_amount", "invoices.currency", "invoices.net_returns",
      "customers.duplicate_lines", "support_tickets.duplicate_lines", "support_tickets.conflicting_ticket_id",
      "support_tickets.invalid_email", "support_tickets.closed_before_created",
      "web_analytics.duplicate_lines", "marketing_events.duplicate_lines", "marketing_events.invalid_email",
      "press_releases.duplicate_lines", "site_categories.duplicate_lines");

  public CleanSettings {
    disabledRules = Set.copyOf(disabledRules);
    internalDomains = List.copyOf(internalDomains);
    testAddressPatterns = List.copyOf(testAddressPatterns);
    exchangeRates = Map.copyOf(exchangeRates);
  }

  public boolean enabled(String source, String rule) {
    return !disabledRules.contains(source + "." + rule);
  }
}

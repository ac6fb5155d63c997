/**
 * The embedded sample: a seeded simulation of an engineering firm in Detroit, MI (42.3314, -83.0458,
 * America/Detroit) that sells 3D-printing services (SLS, FDM, MJF, SLA), resells SimSoft simulation
 * licenses in three tiers, and sells consulting hours. {@link com.customervalue.sample.SampleGenerator}
 * writes seven raw sources with planted mess, the oracle truth and a manifest; the only public API is
 * {@link com.customervalue.sample.SampleSpec}, {@code SampleGenerator.generate} and
 * {@link com.customervalue.sample.SampleSummary}.
 *
 * <h2>Determinism</h2>
 * Every draw comes from a {@link java.util.SplittableRandom} derived from the spec's seed and a fixed
 * (purpose, index) pair, every collection is iterated in a fixed order, numbers are formatted with
 * {@link java.util.Locale#ROOT} and {@link java.lang.StrictMath}, lines end in {@code "\n"}: the same
 * spec gives byte-identical files. The truth dates do not change any other file.
 *
 * <h2>Population</h2>
 * {@code customers} accounts: 70 % companies (1-3 contacts with 50/30/20 % chance, each with its own
 * customer id {@code C00001...} and email on the company domain), 30 % individuals on free-mail (gmail,
 * yahoo, outlook, hotmail, googlemail). 5 % of companies are in the UK ({@code .co.uk}, UTC 0); the rest
 * sit in 29 real US cities (about 40 % within 300 km of the office; Anchorage UTC-9, Honolulu UTC-10,
 * north-east UTC-5, ...). Industries and shares: aerospace 12 %, automotive 16 %, medical 11 %,
 * consumer-goods 12 %, education 9 %, architecture 9 %, energy 8 %, retail 8 %, consulting 8 %, events 7 %.
 * Each account has a latent order size {@code orderZ ~ N(0,1)} (scales quantities, unit prices, seats and
 * hours) and a latent frailty {@code ~ N(0, 0.5)}. 25 % of accounts first buy in the first 60 days, the
 * rest at a uniform day; the first order is the account's acquisition.
 *
 * <h2>Latent process and planted effects</h2>
 * Daily, per account, while alive: an order with probability {@code 1 - exp(-rate)}, then dropout (for
 * good) with probability {@code dropout}; the formulas and every constant are in
 * {@link com.customervalue.sample.PlantedEffects}. Effects (log scale; rate = purchase intensity):
 * <table>
 *   <caption>Planted effects on returning</caption>
 *   <tr><th>driver</th><th>direction</th><th>rate</th><th>dropout</th></tr>
 *   <tr><td>industry</td><td>aerospace, medical up; education, events down</td>
 *       <td>aerospace +0.50, medical +0.45, automotive +0.20, energy +0.10, consumer-goods 0, consulting 0,
 *       architecture -0.10, retail -0.10, events -0.30, education -0.60</td>
 *       <td>aerospace -0.40, medical -0.35, automotive -0.15, energy -0.05, architecture +0.10, retail +0.10,
 *       events +0.30, education +0.50</td></tr>
 *   <tr><td>distance to office, per ln(1 + km/100)</td><td>farther returns less</td><td>-0.22</td>
 *       <td>+0.18</td></tr>
 *   <tr><td>order size, per SD of orderZ</td><td>larger orders return more</td><td>+0.40</td><td>-0.40</td></tr>
 *   <tr><td>has bought in August (lasting)</td><td>up</td><td>+0.35</td><td>-0.30</td></tr>
 *   <tr><td>has bought SLS (lasting, from the first SLS order)</td><td>up</td><td>+0.40</td><td>-0.30</td></tr>
 *   <tr><td>individual (free-mail) instead of company</td><td>down</td><td>-0.30</td><td>+0.25</td></tr>
 *   <tr><td>press release in the last 30 days (strongest applies)</td><td>up</td>
 *       <td>x2.00 new-process, x1.40 customer-story, x1.30 event, x1.25 award, x1.20 product-update</td>
 *       <td>-</td></tr>
 *   <tr><td>support burden: ticket open-days in the last 180 days (capped at 120)</td><td>down</td><td>-</td>
 *       <td>+0.02 per open day</td></tr>
 *   <tr><td>weekend</td><td>down</td><td>x0.2</td><td>-</td></tr>
 * </table>
 * Base rate 0.0115 orders per weekday, base dropout 0.0014 per day. Orders have 1-3 lines (60/30/10 %).
 * 42 % of accounts buy licenses (lines 45 % print, 45 % license, 10 % consulting; others 90 % print,
 * 10 % consulting). <b>Top tier:</b> an account is a Tier 3 account with probability
 * {@code sigmoid(-2.2 + 2.6 [retail, consulting, events] + 2.3 [Alaska or a north-east state: NY, MA, CT,
 * PA, NJ, RI, NH, VT, ME])} (odds x13.5 and x10); 70 % of its license lines are Tier 3. About 22-27 % of
 * license buyers ever buy Tier 3. <b>Tickets:</b> an order opens a ticket with probability
 * {@code 1 - prod(1 - p_line)}: FDM/MJF/SLA 6 %, SLS 8 %, Tier 1/2 license 22 %, Tier 3 32 %, consulting
 * 4 %; created 0-20 days later, open for a lognormal time (median 96 h, sigma 1.0); tickets still open at
 * the period end are "active" or "pending". <b>Side systems</b> follow the latent state without causing
 * it: web visits (daily chance 3 % alive, 1.2 % in the 60 days before acquisition, 0.4 % churned, plus a
 * visit in the week before an order with 50 %), newsletter opens 35 % alive vs 12 % churned (clicks 22 %
 * of opens; unsubscribe 0.3 % vs 2 % per send), live chats every 200 days on average while alive.
 *
 * <h2>Oracle truth</h2>
 * For each truth date and every account with an order before it, {@code p_return} is the exact
 * probability of at least one order in {@code [as_of, as_of + horizon)} given the latent state at
 * {@code as_of}: {@code p = sum_t S_t q_t}, {@code S_{t+1} = S_t (1 - q_t)(1 - d_t)}, with {@code q_t},
 * {@code d_t} the order and dropout probabilities the simulation itself draws from (0 when already
 * dropped out). {@code returned} is whether the generated data has such an order. The manifest records
 * the oracle's ROC-AUC.
 *
 * <h2>Identity truth</h2>
 * {@code truth/identities.csv} ({@code kind,value,account_key}, sorted by kind then value) lists every
 * identifier written in a well-formed row for an account, as written but stripped (case, {@code +tags},
 * dots, googlemail and mail sub-domains kept): {@code customer_id} (customers, invoices), {@code email}
 * (invoices, customers, tickets' {@code customer.email}, marketing), {@code hostname} (web analytics) and
 * {@code site_domain} (site categories). The key is the account's, as in the return truth. Test orders,
 * non-customer subscribers and the free-mail site domains belong to no account and are not listed; a value
 * of two accounts fails generation. Per source file the manifest adds {@code eligible_rows} (distinct
 * well-formed lines that are not test orders) and {@code matchable_rows} (those whose Customer ID, else
 * e-mail, hostname or site domain is listed; none for press releases).
 *
 * <h2>Planted mess (exact counts per file in {@code truth/manifest.json})</h2>
 * Valid but messy, see {@link com.customervalue.sample.MessRates}: invoice lines with no Customer ID 5 %
 * ({@code missing_customer_id}, Email present), no Email 3 % ({@code missing_email}); emails in invoices,
 * tickets and marketing with mixed case 6 % ({@code email_mixed_case}), spaces 3 % ({@code email_padded}),
 * {@code +tag} 4 % ({@code email_plus_tag}), on gmail rows moved dots 10 % ({@code email_gmail_dots}) and
 * the other gmail/googlemail domain 8 % ({@code email_googlemail} counts all googlemail rows); 15 % of
 * companies also write from a mail sub-domain, used on 30 % of their rows ({@code email_subdomain_alias});
 * CRM emails mixed case 4 %, padded 2 %; websites with scheme / {@code www.} / path / port
 * ({@code website_with_*}), empty for individuals and 3 % of company rows ({@code website_empty});
 * Industry empty 4 % ({@code missing_industry}); test lines 0.5 % of real invoice lines
 * ({@code test_lines}, Status test, 50 % {@code @customervalue-internal.com}, the rest {@code test*@}
 * addresses, 40 % zero amount); refunds on 3 % of paid invoices ({@code refund_lines}: invoice
 * {@code R-<number>}, negative Quantity and Amount, 1-30 days later, Status refunded); exact duplicate
 * lines 1 % in invoices, web analytics and marketing ({@code duplicates}: lines equal to an earlier line);
 * tickets closed before created 1 % of closed tickets ({@code closed_before_created}); open tickets
 * ({@code open_tickets}); newsletter subscribers who never buy, 10 % of the accounts
 * ({@code non_customer_rows}); free-mail domains and {@code www.} prefixes (15 %) in site categories
 * ({@code free_mail_domains}, {@code www_prefix}); 20 % of site categories disagree with the industry.
 * Valid-but-messy counts are over well-formed lines, duplicates included.
 *
 * <p>Malformed, for ingestion to quarantine: each is an extra copy of a well-formed row, written right
 * after it, with exactly one problem. Per file: {@code max(2, round(0.002 * rows))}, dealt over the
 * file's kinds in the order below (so a small file has 2 in all, not 2 of every kind). Kinds: {@code wrong_field_count} (one field dropped), {@code bad_date} (e.g.
 * {@code 2015-13-45 10:00:00}, {@code not a date}), {@code bad_number} ({@code two}, {@code many},
 * {@code 12.5.0}, {@code 1O}, {@code abc} in Quantity / Unit Price, Latitude / Longitude / UTC Offset,
 * Sessions / Pageviews, votes), {@code missing_required} (an empty required field), and in the JSON file
 * {@code bad_json} (truncated line), {@code bad_date} (createdAt not a timestamp) and
 * {@code missing_required} (no id, no customer email, or no createdAt). Kinds per file: invoices and
 * web analytics all four CSV kinds; customers and site categories wrong_field_count, bad_number,
 * missing_required; marketing and press releases wrong_field_count, bad_date, missing_required. The
 * manifest's {@code rows} counts every data line, malformed and duplicates included.
 */
package com.customervalue.sample;

-- Databricks notebook source
-- MAGIC %md
-- MAGIC # 3. Business questions
-- MAGIC The questions of the two studies this product generalises, answered from `segment_insights`
-- MAGIC (written by the `report` job) and `customer_scores` (written by the `score` job).
-- MAGIC Outcome questions describe the newest labelled snapshot: what the accounts in each segment
-- MAGIC actually did in the horizon after it. Adjusted revenue is revenue minus the support cost
-- MAGIC (days each ticket stayed open x cost per day).

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What is each license tier worth once support is counted?

-- COMMAND ----------

-- chart: type=bar x=segment y=revenue_per_account,adjusted_revenue_per_account title="Revenue and adjusted revenue per account by license tier" xlabel="license tier" ylabel="per account, within the horizon"
SELECT segment, accounts, round(revenue_per_account, 2) AS revenue_per_account,
       round(support_cost_per_account, 2) AS support_cost_per_account,
       round(adjusted_revenue_per_account, 2) AS adjusted_revenue_per_account, round(return_rate, 4) AS return_rate
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'license_tier'
ORDER BY segment_order, segment

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Which service process brings customers back?
-- MAGIC Accounts by the process with the largest share of their spend.

-- COMMAND ----------

-- chart: type=bar x=segment y=return_rate title="Return rate by main process" xlabel="process" ylabel="return rate"
SELECT segment, accounts, round(return_rate, 4) AS return_rate, round(revenue_per_account, 2) AS revenue_per_account,
       round(adjusted_revenue_per_account, 2) AS adjusted_revenue_per_account
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'process'
ORDER BY return_rate DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Return rate by industry

-- COMMAND ----------

-- chart: type=hbar x=segment y=return_rate title="Return rate by industry" ylabel="return rate"
SELECT segment, accounts, round(return_rate, 4) AS return_rate, round(top_tier_rate, 4) AS top_tier_rate,
       round(adjusted_revenue_per_account, 2) AS adjusted_revenue_per_account
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'industry'
ORDER BY return_rate DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Does distance to the office matter?

-- COMMAND ----------

-- chart: type=bar x=segment y=return_rate title="Return rate by distance to the office" xlabel="distance" ylabel="return rate"
SELECT segment, accounts, round(return_rate, 4) AS return_rate, round(revenue_per_account, 2) AS revenue_per_account
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'distance_band'
ORDER BY segment_order

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Month of the first purchase

-- COMMAND ----------

-- chart: type=bar x=segment y=return_rate title="Return rate by month of the first purchase" xlabel="month" ylabel="return rate"
SELECT segment, accounts, round(return_rate, 4) AS return_rate
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'first_purchase_month'
ORDER BY segment_order

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Press releases since the last purchase

-- COMMAND ----------

-- chart: type=bar x=segment y=return_rate title="Return rate by press releases since the account's last purchase" ylabel="return rate"
SELECT segment, accounts, round(return_rate, 4) AS return_rate
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'press_release_exposure'
ORDER BY segment_order

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Many small purchases with little support, or few large ones with much support?
-- MAGIC Purchases are "many" and orders "small" against the snapshot's medians; support is "much"
-- MAGIC above the median tickets in the prior year.

-- COMMAND ----------

-- chart: type=hbar x=segment y=revenue_per_account,adjusted_revenue_per_account title="Revenue and adjusted revenue per account by purchase pattern and support" ylabel="per account"
SELECT segment, accounts, round(return_rate, 4) AS return_rate, round(revenue_per_account, 2) AS revenue_per_account,
       round(support_cost_per_account, 2) AS support_cost_per_account,
       round(adjusted_revenue_per_account, 2) AS adjusted_revenue_per_account
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'purchase_pattern_support'
ORDER BY adjusted_revenue_per_account DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Support burden against revenue

-- COMMAND ----------

-- chart: type=bar x=segment y=revenue_per_account,support_cost_per_account,adjusted_revenue_per_account title="Revenue, support cost and adjusted revenue by support tickets in the prior year" ylabel="per account"
SELECT segment, accounts, round(revenue_per_account, 2) AS revenue_per_account,
       round(support_cost_per_account, 2) AS support_cost_per_account,
       round(adjusted_revenue_per_account, 2) AS adjusted_revenue_per_account, round(return_rate, 4) AS return_rate
FROM segment_insights
WHERE run_id = (SELECT max_by(run_id, created_at) FROM segment_insights) AND question = 'support_burden'
ORDER BY segment_order

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Churn risk today
-- MAGIC Accounts of the newest score date by risk band, with the revenue the model expects from them
-- MAGIC and the share of it at risk.

-- COMMAND ----------

-- chart: type=bar x=risk_band y=revenue_at_risk title="Revenue at risk by churn risk band" xlabel="risk band" ylabel="revenue at risk"
SELECT risk_band, count(*) AS accounts, round(avg(p_churn), 4) AS mean_p_churn,
       round(sum(expected_revenue), 2) AS expected_revenue, round(sum(revenue_at_risk), 2) AS revenue_at_risk
FROM customer_scores
WHERE score_date = (SELECT max(score_date) FROM customer_scores)
GROUP BY risk_band
ORDER BY CASE risk_band WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The accounts to call first
-- MAGIC Ranked by revenue at risk (churn probability x expected revenue), with the features that raise
-- MAGIC their risk most.

-- COMMAND ----------

SELECT coalesce(company_name, company_domain, 'account ' || substr(account_key_hash, 1, 12)) AS account,
       risk_band, round(p_churn, 3) AS p_churn, round(expected_revenue, 2) AS expected_revenue,
       round(revenue_at_risk, 2) AS revenue_at_risk, round(adjusted_revenue_12m, 2) AS adjusted_revenue_12m, industry,
       concat_ws('; ', transform(top_reasons, r -> r.feature || ' ' || r.direction)) AS reasons
FROM customer_scores
WHERE score_date = (SELECT max(score_date) FROM customer_scores)
ORDER BY revenue_at_risk DESC NULLS LAST, account_key_hash
LIMIT 20

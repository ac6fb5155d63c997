-- Databricks notebook source
-- MAGIC %md
-- MAGIC # 1. Data overview
-- MAGIC What the jobs read and wrote: the runs, the data-quality checks, how well the sources' rows
-- MAGIC were matched to accounts, and the snapshots the models learn from.
-- MAGIC
-- MAGIC The cells read the output tables by name: in Databricks or Athena run `USE customer_value`
-- MAGIC (or your `customer-value.warehouse.database`) first. The `report` job does that itself.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Job runs
-- MAGIC The newest attempt of each job, successful or failed, and what it wrote.

-- COMMAND ----------

SELECT job, status, run_id, started_at, finished_at, detail
FROM (SELECT *, row_number() OVER (PARTITION BY job ORDER BY finished_at DESC) AS newest FROM job_runs)
WHERE newest = 1
ORDER BY started_at

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Data-quality checks of the newest ingest and clean runs
-- MAGIC Counts of quarantined and dropped rows per source and rule. Warnings are recorded and the run
-- MAGIC goes on; errors stop it.

-- COMMAND ----------

SELECT stage, source, check_name, level, passed, row_count, detail
FROM data_quality
WHERE run_id = (SELECT max_by(run_id, recorded_at) FROM data_quality)
  AND row_count > 0
ORDER BY stage, source, check_name

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Identity: how many rows of each source found their account
-- MAGIC No source shares a key with another: rows are matched by customer id, normalised e-mail or
-- MAGIC company domain. Unmatched rows are counted, never dropped.

-- COMMAND ----------

-- chart: type=hbar x=source y=match_rate title="Share of each source's rows matched to an account" ylabel="match rate"
SELECT source, `rows`, matched_by_customer_id, matched_by_email, matched_by_domain, keyed_not_matched, unkeyed,
       round(match_rate, 4) AS match_rate
FROM identity_matches
WHERE run_id = (SELECT max_by(run_id, recorded_at) FROM identity_matches)
ORDER BY source

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Snapshots
-- MAGIC One row per account and as_of date. Features use events before as_of; labels the horizon after
-- MAGIC it. The newest snapshot is unlabelled: it is the one that gets scored.

-- COMMAND ----------

-- chart: type=line x=as_of y=return_rate title="Share of accounts that bought again within the horizon, per snapshot" xlabel="as_of" ylabel="return rate"
SELECT as_of, count(*) AS accounts, bool_or(labelled) AS labelled,
       round(avg(returned), 4) AS return_rate, round(avg(bought_top_tier), 4) AS top_tier_rate,
       round(avg(revenue_next), 2) AS mean_revenue_next, round(avg(adjusted_revenue), 2) AS mean_adjusted_revenue
FROM customer_features
GROUP BY as_of
ORDER BY as_of

-- Databricks notebook source
-- MAGIC %md
-- MAGIC # 2. Models
-- MAGIC How well each model of the newest train run predicts, out of time (the newest labelled
-- MAGIC snapshot, never seen in training or tuning) and cross-validated, and what drives it.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Figures per target and model
-- MAGIC `selected` marks the model chosen per target (by cross-validated log loss unless configured
-- MAGIC otherwise): the one saved and used for scoring.

-- COMMAND ----------

SELECT target, model, selected, evaluation, max(`rows`) AS `rows`,
       round(max(CASE WHEN metric = 'roc_auc' THEN value END), 4) AS roc_auc,
       round(max(CASE WHEN metric = 'pr_auc' THEN value END), 4) AS pr_auc,
       round(max(CASE WHEN metric = 'log_loss' THEN value END), 4) AS log_loss,
       round(max(CASE WHEN metric = 'brier' THEN value END), 4) AS brier,
       round(max(CASE WHEN metric = 'f1' THEN value END), 4) AS f1,
       round(max(CASE WHEN metric = 'lift_top_decile' THEN value END), 3) AS lift_top_decile,
       round(max(CASE WHEN metric = 'rmse' THEN value END), 2) AS rmse,
       round(max(CASE WHEN metric = 'r2' THEN value END), 4) AS r2
FROM model_metrics
WHERE run_id = (SELECT max_by(run_id, trained_at) FROM model_metrics)
  AND evaluation IN ('cross_validation', 'out_of_time')
  AND decile IS NULL
GROUP BY target, model, selected, evaluation
ORDER BY target, evaluation DESC, selected DESC, model

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## ROC curve of the chosen return model, out of time
-- MAGIC True-positive rate against false-positive rate as the threshold falls, from the held-out
-- MAGIC snapshot's predictions (`model_predictions`), one point per 5% of the accounts ranked by score.

-- COMMAND ----------

-- chart: type=line x=false_positive_rate y=true_positive_rate series=model title="ROC curve, out of time (returned)" xlabel="false-positive rate" ylabel="true-positive rate"
WITH p AS (
  SELECT model, score, label FROM model_predictions
  WHERE run_id = (SELECT max_by(run_id, trained_at) FROM model_metrics) AND target = 'returned'),
ranked AS (
  SELECT model, ntile(20) OVER (PARTITION BY model ORDER BY score DESC) AS pct,
         sum(label) OVER (PARTITION BY model ORDER BY score DESC ROWS UNBOUNDED PRECEDING) AS tp,
         sum(1 - label) OVER (PARTITION BY model ORDER BY score DESC ROWS UNBOUNDED PRECEDING) AS fp,
         sum(label) OVER (PARTITION BY model) AS positives,
         sum(1 - label) OVER (PARTITION BY model) AS negatives
  FROM p)
SELECT model, 0.0 AS false_positive_rate, 0.0 AS true_positive_rate FROM p GROUP BY model
UNION ALL
SELECT model, round(max(fp / negatives), 4), round(max(tp / positives), 4) FROM ranked GROUP BY model, pct
ORDER BY model, false_positive_rate, true_positive_rate

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Lift by decile, out of time
-- MAGIC Return rate of each tenth of accounts ranked by the model (decile 1 = the most likely to
-- MAGIC return) divided by the overall rate. A useful model starts well above 1 and ends below it.

-- COMMAND ----------

-- chart: type=bar x=decile y=lift title="Lift by score decile, out of time (returned)" ylabel="lift"
WITH p AS (
  SELECT score, label, ntile(10) OVER (PARTITION BY target ORDER BY score DESC) AS decile FROM model_predictions
  WHERE run_id = (SELECT max_by(run_id, trained_at) FROM model_metrics) AND target = 'returned')
SELECT decile, count(*) AS accounts, round(avg(score), 4) AS mean_score, round(avg(label), 4) AS return_rate,
       round(avg(label) / (SELECT avg(label) FROM p), 3) AS lift
FROM p GROUP BY decile ORDER BY decile

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Calibration of the chosen models, out of time
-- MAGIC Mean predicted probability against the observed rate per decile of the score: a calibrated
-- MAGIC model puts the two close together.

-- COMMAND ----------

-- chart: type=scatter x=mean_predicted y=observed_rate series=target title="Calibration by decile, out of time" xlabel="mean predicted probability" ylabel="observed rate"
SELECT target, decile,
       round(max(CASE WHEN metric = 'calibration_mean_predicted' THEN value END), 4) AS mean_predicted,
       round(max(CASE WHEN metric = 'calibration_observed_rate' THEN value END), 4) AS observed_rate,
       max(`rows`) AS `rows`
FROM model_metrics
WHERE run_id = (SELECT max_by(run_id, trained_at) FROM model_metrics)
  AND selected AND evaluation = 'out_of_time' AND decile IS NOT NULL
GROUP BY target, decile
ORDER BY target, decile

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Calibration: before and after
-- MAGIC Calibrated models (see `train.calibration`) next to their own probabilities before
-- MAGIC calibration, on the out-of-time snapshot. No rows: no model of the run was calibrated.

-- COMMAND ----------

SELECT target, model,
       round(max(CASE WHEN evaluation = 'out_of_time_uncalibrated' AND metric = 'log_loss' THEN value END), 4) AS log_loss_before,
       round(max(CASE WHEN evaluation = 'out_of_time' AND metric = 'log_loss' THEN value END), 4) AS log_loss_after,
       round(max(CASE WHEN evaluation = 'out_of_time_uncalibrated' AND metric = 'brier' THEN value END), 4) AS brier_before,
       round(max(CASE WHEN evaluation = 'out_of_time' AND metric = 'brier' THEN value END), 4) AS brier_after,
       bool_or(selected) AS selected
FROM model_metrics
WHERE run_id = (SELECT max_by(run_id, trained_at) FROM model_metrics)
  AND evaluation IN ('out_of_time', 'out_of_time_uncalibrated') AND decile IS NULL
GROUP BY target, model
HAVING max(CASE WHEN evaluation = 'out_of_time_uncalibrated' THEN 1 END) = 1
ORDER BY target, model

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What drives the chosen return model
-- MAGIC Tree importances, or for a linear model the size of its standardised coefficients. For
-- MAGIC logistic models `odds_ratio` reads "accounts with this feature one unit higher are N times as
-- MAGIC likely to return".

-- COMMAND ----------

-- chart: type=hbar x=feature y=importance title="Top 15 features of the chosen return model" ylabel="importance"
SELECT feature, round(importance, 4) AS importance, round(std_coefficient, 4) AS std_coefficient,
       round(odds_ratio, 3) AS odds_ratio, model
FROM feature_importance
WHERE run_id = (SELECT max_by(run_id, trained_at) FROM model_metrics) AND target = 'returned' AND selected
ORDER BY `rank`
LIMIT 15

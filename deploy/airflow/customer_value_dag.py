"""customer-value on a transient EMR cluster, as Airflow 2 DAGs (Amazon provider).

Two DAGs share this file:

* ``customer_value_weekly``: Mondays, the full pipeline
  ingest -> clean -> identity -> features -> train -> score -> report.
* ``customer_value_daily``: the other six days, the same without ``train``; ``score`` uses the newest
  model the weekly run saved.

Each run creates a cluster from ``cluster.json`` (copied next to this file), adds one EMR step per job
and waits for it, and terminates the cluster whatever happened (trigger rule ALL_DONE). The jar and
``emr.conf`` are built and uploaded beforehand (see README, "Run on EMR"); nothing is built here.

The run date is the end of the data interval (the day the run starts): ``--as-of`` of clean and score,
and of features in the daily DAG (the weekly one builds every snapshot, which train needs), and with
the DAG id the ``--run-id`` of every job. Re-running a run id
replaces that run's rows, so a retried step is safe.

Variable (optional, read when a task runs, never while the file is parsed): ``customer_value_artifacts``,
the S3 prefix holding the jar and emr.conf. The HMAC key never passes through Airflow: the cluster's
bootstrap action (named in ``cluster.json``) installs a wrapper that reads it from Secrets Manager on the
cluster. AWS credentials come from the ``aws_default`` connection, which carries no keys, so the
worker's own role is used (default provider chain). A failed step fails the DAG run through
``fail_if_a_step_failed``; ``terminate_cluster`` runs in any case.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from airflow import DAG
from airflow.exceptions import AirflowException
from airflow.models.baseoperator import chain
from airflow.providers.amazon.aws.operators.emr import (
    EmrAddStepsOperator,
    EmrCreateJobFlowOperator,
    EmrTerminateJobFlowOperator,
)
from airflow.operators.python import PythonOperator
from airflow.utils.trigger_rule import TriggerRule

AWS_CONN_ID = "aws_default"
MAIN_CLASS = "com.customervalue.Main"
ARTIFACTS = "{{ var.value.get('customer_value_artifacts', 's3://my-company-lake/customer-value/deploy') }}"
JAR = ARTIFACTS + "/customer-value-0.1.0-SNAPSHOT-emr.jar"
CONF_S3 = ARTIFACTS + "/emr.conf"
# spark-submit --files puts emr.conf in the driver's working directory (cluster deploy mode).
CONF = "emr.conf"
RUN_DATE = "{{ data_interval_end | ds }}"
RUN_ID = "{{ dag.dag_id }}-{{ data_interval_end | ds_nodash }}"
CLUSTER_ID = "{{ ti.xcom_pull(task_ids='create_cluster') }}"
# Installed by deploy/emr/bootstrap.sh: reads the HMAC key from Secrets Manager when the step runs.
HASH_KEY_WRAPPER = "/usr/local/bin/customer-value-with-hash-key"
# The two schedules; PIPELINE says which jobs each runs.
WEEKLY = "weekly"
DAILY = "daily"

# The RunJobFlow request; the same file a manual run submits (README, "Run on EMR").
CLUSTER = json.loads((Path(__file__).parent / "cluster.json").read_text())
# Steps are added one by one below, so the cluster must not stop when it has none left.
CLUSTER["Instances"]["KeepJobFlowAliveWhenNoSteps"] = True

DEFAULT_ARGS = {
    "owner": "data-engineering",
    "depends_on_past": False,
    # Transient failures (spot loss, S3 throttling, an API hiccup): the step is added again.
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=4),
}


def spark_step(command: str, *options: str, hash_key: bool = False) -> dict:
    """One EMR step: spark-submit of the customer-value jar running ``command`` with ``options``."""
    args = [
        "spark-submit",
        "--deploy-mode", "cluster",
        "--class", MAIN_CLASS,
        "--files", CONF_S3,
        JAR,
        command,
        *options,
    ]
    if hash_key:
        args = [HASH_KEY_WRAPPER, *args]
    return {
        "Name": f"customer-value {command} {RUN_DATE}",
        # Never CONTINUE: a failed job must stop the ones that read its tables.
        "ActionOnFailure": "CANCEL_AND_WAIT",
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": args},
    }


def run_step(command: str, *options: str, hash_key: bool = False) -> EmrAddStepsOperator:
    """Adds the step for ``command`` and waits for it; a retry adds the step again."""
    return EmrAddStepsOperator(
        task_id=command,
        job_flow_id=CLUSTER_ID,
        aws_conn_id=AWS_CONN_ID,
        steps=[spark_step(command, *options, hash_key=hash_key)],
        wait_for_completion=True,
        waiter_delay=60,
        waiter_max_attempts=240,
    )


def create_cluster() -> EmrCreateJobFlowOperator:
    return EmrCreateJobFlowOperator(
        task_id="create_cluster",
        aws_conn_id=AWS_CONN_ID,
        emr_conn_id=None,
        job_flow_overrides=CLUSTER,
    )


def terminate_cluster() -> EmrTerminateJobFlowOperator:
    return EmrTerminateJobFlowOperator(
        task_id="terminate_cluster",
        job_flow_id=CLUSTER_ID,
        aws_conn_id=AWS_CONN_ID,
        # Runs when a step failed too: an idle cluster costs money.
        trigger_rule=TriggerRule.ALL_DONE,
    )


def _fail_run() -> None:
    raise AirflowException("A customer-value step failed; the cluster was terminated, see the step's log")


def fail_if_a_step_failed() -> PythonOperator:
    """Marks the DAG run failed when a step failed: terminate_cluster (ALL_DONE) alone would end it green."""
    return PythonOperator(
        task_id="fail_if_a_step_failed",
        python_callable=_fail_run,
        trigger_rule=TriggerRule.ONE_FAILED,
        retries=0,
    )


class Job(NamedTuple):
    """One job of the pipeline: its subcommand and which DAGs run it, and with which options."""

    command: str
    # The DAGs (WEEKLY, DAILY) that run the job.
    runs_in: tuple[str, ...] = (WEEKLY, DAILY)
    # The DAGs in which it gets the run date as --as-of.
    as_of_in: tuple[str, ...] = ()
    # Runs through the cluster's wrapper that supplies the HMAC key.
    hash_key: bool = False


# The pipeline, in order, for both DAGs. Train is weekly only: the daily score uses the newest model
# the weekly run saved. Features takes --as-of only daily: without it, it builds every snapshot of
# customer-value.snapshots, and train needs at least two labelled ones.
PIPELINE = (
    Job("ingest"),
    Job("clean", as_of_in=(WEEKLY, DAILY)),
    Job("identity", hash_key=True),
    Job("features", as_of_in=(DAILY,)),
    Job("train", runs_in=(WEEKLY,)),
    Job("score", as_of_in=(WEEKLY, DAILY)),
    Job("report"),
)


def pipeline_dag(schedule_name: str, *, dag_id: str, description: str, schedule: str) -> DAG:
    """The DAG of one schedule: create the cluster, the jobs of PIPELINE it runs in order, tear down."""
    with DAG(
        dag_id=dag_id,
        description=description,
        schedule=schedule,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["customer-value", "emr"],
    ) as dag:
        create = create_cluster()
        steps = []
        for job in PIPELINE:
            if schedule_name in job.runs_in:
                options = ["--config", CONF, "--run-id", RUN_ID]
                if schedule_name in job.as_of_in:
                    options += ["--as-of", RUN_DATE]
                steps.append(run_step(job.command, *options, hash_key=job.hash_key))
        terminate = terminate_cluster()
        failed = fail_if_a_step_failed()

        chain(create, *steps, terminate)
        [steps[-1], terminate] >> failed
    return dag


weekly = pipeline_dag(
    WEEKLY,
    dag_id="customer_value_weekly",
    description="customer-value full pipeline on EMR, with model training",
    schedule="0 4 * * 1",
)
daily = pipeline_dag(
    DAILY,
    dag_id="customer_value_daily",
    description="customer-value daily scoring on EMR with the newest trained model",
    schedule="0 4 * * 0,2-6",
)

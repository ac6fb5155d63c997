"""Prints the structure of an Airflow DAG file as JSON, without Airflow installed.

Usage: python3 dag_structure.py DAG_FILE [FILE ...]

The DAG file is run, as the Airflow scheduler would parse it, in a temporary folder holding a copy of
it and of the other FILEs (the DAG reads cluster.json next to itself), with small recording
stand-ins for the Airflow names it imports. Reading the source alone no longer suffices: the steps
are built in a loop over one pipeline definition, so only running the file tells which tasks and
options each DAG really gets. An import of any other Airflow name fails, as does a task created
outside a DAG, a task id used twice in a DAG, a DAG id used twice, a dependency between two DAGs,
and an EMR step task that does not add exactly one spark-submit step.

Output: {"dags": [{"dag_id", "schedule", "tasks": [{"task_id", "operator", "trigger_rule", "args",
"hash_key", "launcher", "prefix", "action_on_failure"}], "edges": [[upstream, downstream], ...]}],
"step_prefix": [...]}. For an EMR step task, "args" is what follows the application jar (the command
and its options, what com.customervalue.Main receives), "prefix" is spark-submit up to and including
the jar, "launcher" what runs before spark-submit (the HMAC key wrapper or nothing), and "hash_key"
whether there is a launcher; for other tasks these are null (false for hash_key). "step_prefix" is
the prefix of the first step task. trigger_rule is the TriggerRule member name given, or null.
"""
import enum
import json
import runpy
import shutil
import sys
import tempfile
import types
from pathlib import Path


class TriggerRule(str, enum.Enum):
    ALL_SUCCESS = "all_success"
    ALL_FAILED = "all_failed"
    ALL_DONE = "all_done"
    ALL_SKIPPED = "all_skipped"
    ONE_SUCCESS = "one_success"
    ONE_FAILED = "one_failed"
    ONE_DONE = "one_done"
    NONE_FAILED = "none_failed"
    NONE_SKIPPED = "none_skipped"
    ALWAYS = "always"


class AirflowException(Exception):
    pass


class DAG:
    """Collects the tasks created inside ``with DAG(...)`` and the dependencies between them."""

    _open = []
    created = []

    def __init__(self, dag_id, **kwargs):
        if any(d.dag_id == dag_id for d in DAG.created):
            raise ValueError("DAG id %r is defined twice" % dag_id)
        self.dag_id = dag_id
        self.schedule = kwargs.get("schedule", kwargs.get("schedule_interval"))
        self.tasks = []
        self.edges = []
        DAG.created.append(self)

    def __enter__(self):
        DAG._open.append(self)
        return self

    def __exit__(self, *exc):
        DAG._open.pop()
        return False


def _tasks(node):
    return list(node) if isinstance(node, (list, tuple)) else [node]


def _link(upstream, downstream):
    for up in _tasks(upstream):
        for down in _tasks(downstream):
            if not (isinstance(up, BaseOperator) and isinstance(down, BaseOperator)):
                raise TypeError("a dependency between %r and %r: both must be tasks" % (up, down))
            if up.dag is not down.dag:
                raise ValueError("%s and %s are in different DAGs" % (up.task_id, down.task_id))
            if [up.task_id, down.task_id] not in up.dag.edges:
                up.dag.edges.append([up.task_id, down.task_id])


class BaseOperator:
    def __init__(self, *, task_id, trigger_rule=None, **kwargs):
        if not DAG._open:
            raise ValueError("task %r is created outside a DAG" % task_id)
        self.dag = DAG._open[-1]
        if any(t.task_id == task_id for t in self.dag.tasks):
            raise ValueError("task id %r is used twice in DAG %s" % (task_id, self.dag.dag_id))
        self.task_id = task_id
        self.trigger_rule = None if trigger_rule is None else TriggerRule(trigger_rule).name
        self.kwargs = kwargs
        self.dag.tasks.append(self)

    def __rshift__(self, other):
        _link(self, other)
        return other

    def __lshift__(self, other):
        _link(other, self)
        return other

    def __rrshift__(self, other):
        _link(other, self)
        return self

    def __rlshift__(self, other):
        _link(self, other)
        return self


class EmrAddStepsOperator(BaseOperator):
    pass


class EmrCreateJobFlowOperator(BaseOperator):
    pass


class EmrTerminateJobFlowOperator(BaseOperator):
    pass


class PythonOperator(BaseOperator):
    pass


def chain(*nodes):
    """Airflow's chain: each element upstream of the next; two lists of equal length pairwise."""
    for up, down in zip(nodes, nodes[1:]):
        if isinstance(up, (list, tuple)) and isinstance(down, (list, tuple)):
            if len(up) != len(down):
                raise ValueError("chain: lists of different lengths %d and %d" % (len(up), len(down)))
            for u, d in zip(up, down):
                _link(u, d)
        else:
            _link(up, down)


STAND_INS = {
    "airflow": {"DAG": DAG},
    "airflow.exceptions": {"AirflowException": AirflowException},
    "airflow.models": {},
    "airflow.models.baseoperator": {"BaseOperator": BaseOperator, "chain": chain},
    "airflow.operators": {},
    "airflow.operators.python": {"PythonOperator": PythonOperator},
    "airflow.providers": {},
    "airflow.providers.amazon": {},
    "airflow.providers.amazon.aws": {},
    "airflow.providers.amazon.aws.operators": {},
    "airflow.providers.amazon.aws.operators.emr": {
        "EmrAddStepsOperator": EmrAddStepsOperator,
        "EmrCreateJobFlowOperator": EmrCreateJobFlowOperator,
        "EmrTerminateJobFlowOperator": EmrTerminateJobFlowOperator,
    },
    "airflow.utils": {},
    "airflow.utils.trigger_rule": {"TriggerRule": TriggerRule},
}


def install_stand_ins():
    for name, attributes in STAND_INS.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        if not attributes:
            module.__path__ = []
        sys.modules[name] = module


def step_fields(task):
    """The launcher, spark-submit prefix and job arguments of an EMR step task's one step."""
    steps = task.kwargs.get("steps")
    if not isinstance(steps, list) or len(steps) != 1:
        raise ValueError("task %s adds %r, not exactly one step" % (task.task_id, steps))
    step = steps[0]
    args = step["HadoopJarStep"]["Args"]
    if "spark-submit" not in args:
        raise ValueError("task %s: the step does not run spark-submit: %r" % (task.task_id, args))
    submit = args.index("spark-submit")
    jars = [i for i in range(submit, len(args)) if args[i].endswith(".jar")]
    if not jars:
        raise ValueError("task %s: no application jar in %r" % (task.task_id, args))
    return {
        "launcher": args[:submit],
        "prefix": args[submit:jars[0] + 1],
        "args": args[jars[0] + 1:],
        "hash_key": submit > 0,
        "action_on_failure": step.get("ActionOnFailure"),
    }


def main(path, *neighbours):
    install_stand_ins()
    with tempfile.TemporaryDirectory() as folder:
        for f in (path, *neighbours):
            shutil.copy(f, folder)
        runpy.run_path(str(Path(folder) / Path(path).name), run_name="customer_value_dag")

    dags = []
    step_prefix = []
    for dag in DAG.created:
        tasks = []
        for task in dag.tasks:
            out = {"task_id": task.task_id, "operator": type(task).__name__, "trigger_rule": task.trigger_rule,
                   "args": None, "hash_key": False, "launcher": None, "prefix": None, "action_on_failure": None}
            if isinstance(task, EmrAddStepsOperator):
                out.update(step_fields(task))
                step_prefix = step_prefix or out["prefix"]
            tasks.append(out)
        dags.append({"dag_id": dag.dag_id, "schedule": dag.schedule, "tasks": tasks, "edges": dag.edges})

    json.dump({"dags": dags, "step_prefix": step_prefix}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:])

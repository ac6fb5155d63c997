"""Prints the structure of an Airflow DAG file as JSON, without Airflow: parsed with ast, never run.

Usage: python3 dag_structure.py DAG_FILE

Output: {"dags": [{"dag_id", "schedule", "tasks": [{"task_id", "operator", "trigger_rule", "args",
"hash_key"}], "edges": [[upstream, downstream], ...]}], "step_prefix": [...]}

What it understands is what deploy/airflow/customer_value_dag.py uses: module-level string constants
(also joined with +), module-level functions that return an operator built with task_id=..., tasks
assigned to names inside `with DAG(...) as name:` blocks, `a >> b >> c` (names or lists) and
chain(a, b, ...). For a builder such as run_step(command, *options), "args" is the command followed by
the options, which is what the EMR step hands to com.customervalue.Main.
"""
import ast
import json
import sys


def func_name(call):
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def main(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    constants = {}
    builders = {}
    step_prefix = []

    def value(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return constants.get(node.id, "<" + node.id + ">")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = value(node.left), value(node.right)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
        if isinstance(node, ast.Attribute):
            return node.attr
        if isinstance(node, ast.Starred):
            return "<*" + getattr(node.value, "id", "?") + ">"
        return "<" + type(node).__name__ + ">"

    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = value(node.value)
            if isinstance(v, str):
                constants[node.targets[0].id] = v
        elif isinstance(node, ast.FunctionDef):
            params = [a.arg for a in node.args.args]
            for inner in ast.walk(node):
                if (node.name == "spark_step" and isinstance(inner, ast.Assign)
                        and isinstance(inner.value, ast.List) and not step_prefix):
                    step_prefix = [value(e) for e in inner.value.elts]
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Call):
                    keywords = {k.arg: k.value for k in inner.value.keywords}
                    if "task_id" in keywords:
                        builders[node.name] = {
                            "operator": func_name(inner.value),
                            "params": params,
                            "keywords": keywords,
                            "is_step": "steps" in keywords,
                        }

    def task_of(call):
        name = call.func.id if isinstance(call.func, ast.Name) else None
        keywords = {k.arg: k.value for k in call.keywords}
        if name in builders:
            b = builders[name]
            task_id = b["keywords"]["task_id"]
            if isinstance(task_id, ast.Name) and task_id.id in b["params"]:
                task_id = call.args[b["params"].index(task_id.id)]
            trigger = b["keywords"].get("trigger_rule") or keywords.get("trigger_rule")
            task = {"task_id": value(task_id), "operator": b["operator"],
                    "trigger_rule": value(trigger) if trigger is not None else None, "args": None,
                    "hash_key": False}
            if b["is_step"]:
                task["args"] = [value(a) for a in call.args]
                hk = keywords.get("hash_key")
                task["hash_key"] = bool(hk is not None and value(hk) is True)
            return task
        if "task_id" in keywords:
            trigger = keywords.get("trigger_rule")
            return {"task_id": value(keywords["task_id"]), "operator": func_name(call),
                    "trigger_rule": value(trigger) if trigger is not None else None, "args": None,
                    "hash_key": False}
        return None

    dags = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.With):
            continue
        item = node.items[0].context_expr
        if not (isinstance(item, ast.Call) and func_name(item) == "DAG"):
            continue
        dag_kw = {k.arg: value(k.value) for k in item.keywords}
        tasks, names, edges = [], {}, []

        def ends(expr):
            if isinstance(expr, ast.Name):
                return [names[expr.id]], [names[expr.id]]
            if isinstance(expr, (ast.List, ast.Tuple)):
                ids = [names[e.id] for e in expr.elts]
                return ids, ids
            if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.RShift):
                left_heads, left_tails = ends(expr.left)
                right_heads, right_tails = ends(expr.right)
                edges.extend([u, d] for u in left_tails for d in right_heads)
                return left_heads, right_tails
            raise ValueError("cannot read dependency expression at line %d" % expr.lineno)

        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                task = task_of(stmt.value)
                if task is not None:
                    tasks.append(task)
                    for target in stmt.targets:
                        names[target.id] = task["task_id"]
            elif isinstance(stmt, ast.Expr):
                expr = stmt.value
                if isinstance(expr, ast.Call) and func_name(expr) == "chain":
                    ids = [ends(a) for a in expr.args]
                    for (_, tails), (heads, _) in zip(ids, ids[1:]):
                        edges.extend([u, d] for u in tails for d in heads)
                else:
                    ends(expr)
        dags.append({"dag_id": dag_kw.get("dag_id"), "schedule": dag_kw.get("schedule"),
                     "tasks": tasks, "edges": edges})

    json.dump({"dags": dags, "step_prefix": step_prefix}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1])

"""Runs one Pulumi operation on a Python program inline, through the Automation API, and prints
the result as one JSON line on stdout (engine output goes to stderr): the Python twin of
scripts/stack-cli.ts, driven by harness/sdk-stack.ts for the Python end-to-end tests and demo.

    python stack_cli.py <up|preview|refresh|destroy|export> --program-dir DIR --function NAME
        --project NAME --stack NAME --state-dir DIR --config-file FILE --plugin-dir DIR

The program is the function NAME of module NAME in DIR. The stack lives on a local file backend
with its own PULUMI_HOME under --state-dir. The provider plugin comes from --plugin-dir, listed
in the workspace's Pulumi.yaml (the Python ProjectSettings has no `plugins` field, so the file
is written here). PULUMI_BIN_DIR names the directory of the `pulumi` CLI.
"""
import argparse
import importlib
import json
import os
import subprocess
import sys
from enum import Enum

from pulumi import automation as auto

PASSPHRASE = "gitlab-mirrors-local-stack"
OPERATIONS = ("up", "preview", "refresh", "destroy", "export")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("operation", choices=OPERATIONS)
    for name in ("program-dir", "function", "project", "stack", "state-dir", "config-file", "plugin-dir"):
        parser.add_argument(f"--{name}", required=True)
    return parser.parse_args()


def write_project(work_dir: str, project: str, plugin_dir: str, backend_dir: str) -> None:
    # json.dumps quotes each value as YAML accepts it.
    with open(os.path.join(work_dir, "Pulumi.yaml"), "w", encoding="utf-8") as f:
        f.write(
            f"name: {json.dumps(project)}\n"
            "runtime: python\n"
            f"backend:\n  url: {json.dumps('file://' + backend_dir)}\n"
            "plugins:\n"
            "  providers:\n"
            "    - name: gitlab-mirrors\n"
            f"      path: {json.dumps(plugin_dir)}\n"
        )


def set_config(workspace: auto.LocalWorkspace, stack: str, config: dict) -> None:
    """Each value goes to `pulumi config set` on stdin: secrets never reach a command line."""
    for key, entry in config.items():
        flag = "--secret" if entry.get("secret") else "--plaintext"
        run_cli(workspace, ["config", "set", flag, "--stack", stack, key], stdin=entry["value"])


def run_cli(workspace: auto.LocalWorkspace, args: list, stdin: str = "") -> str:
    env = {**os.environ, **workspace.env_vars, "PULUMI_HOME": workspace.pulumi_home}
    completed = subprocess.run(
        [os.path.join(os.environ["PULUMI_BIN_DIR"], "pulumi"), *args, "--non-interactive"],
        cwd=workspace.work_dir, env=env, input=stdin, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"pulumi {args[0]} {args[1] if len(args) > 1 else ''} failed: {completed.stderr.strip()}")
    return completed.stdout


def plain(mapping) -> dict:
    """Change summaries keyed by OpType, as plain strings."""
    return {(key.value if isinstance(key, Enum) else key): count for key, count in (mapping or {}).items()}


def outputs(values) -> dict:
    return {name: {"value": output.value, "secret": output.secret} for name, output in values.items()}


def main() -> dict:
    args = parse_args()
    bin_dir = os.environ.get("PULUMI_BIN_DIR")
    if not bin_dir:
        raise RuntimeError("PULUMI_BIN_DIR must name the directory of the pulumi CLI")
    sys.path.insert(0, os.path.abspath(args.program_dir))
    program = getattr(importlib.import_module(args.function), args.function)

    work_dir, backend_dir, home = (os.path.join(args.state_dir, d) for d in ("workspace", "backend", "home"))
    for directory in (work_dir, backend_dir, home):
        os.makedirs(directory, exist_ok=True)
    write_project(work_dir, args.project, os.path.abspath(args.plugin_dir), backend_dir)
    workspace = auto.LocalWorkspace(
        work_dir=work_dir,
        pulumi_home=home,
        program=program,
        pulumi_command=auto.PulumiCommand(root=os.path.dirname(bin_dir)),
        env_vars={
            "PULUMI_BACKEND_URL": f"file://{backend_dir}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            # The plugin runs under the Node.js language host beside the CLI.
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        },
    )
    stack = auto.Stack.create_or_select(args.stack, workspace)
    with open(args.config_file, encoding="utf-8") as f:
        set_config(workspace, args.stack, json.load(f))

    def on_output(text: str) -> None:
        print(text, file=sys.stderr)

    if args.operation == "up":
        result = stack.up(on_output=on_output)
        return {"changes": plain(result.summary.resource_changes), "outputs": outputs(result.outputs)}
    if args.operation == "preview":
        result = stack.preview(on_output=on_output)
        return {"changes": plain(result.change_summary)}
    if args.operation == "refresh":
        result = stack.refresh(on_output=on_output)
        return {"changes": plain(result.summary.resource_changes), "outputs": outputs(stack.outputs())}
    if args.operation == "destroy":
        result = stack.destroy(on_output=on_output)
        return {"changes": plain(result.summary.resource_changes)}
    # The CLI's own `pulumi stack export`: the Automation API's export_stack() adds --show-secrets.
    return {"deployment": json.loads(run_cli(workspace, ["stack", "export", "--stack", args.stack]))}


if __name__ == "__main__":
    try:
        print(json.dumps({"ok": True, **main()}))
    except Exception as err:  # reported as data, as scripts/stack-cli.ts does
        print(json.dumps({"ok": False, "error": str(err)}))

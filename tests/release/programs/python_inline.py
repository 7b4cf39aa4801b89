"""A Python inline program (Automation API) using the installed pulumi_gitlab_mirrors wheel, as a user
writes one: up, preview, destroy, printing one JSON line of results on stdout.

    python python_inline.py WORK_DIR BACKEND_DIR

The plugin is not named anywhere: the engine installs the version the SDK asks for, from the download
server the SDK names (or its override). GitLab's address and token come from GITLAB_BASE_URL and
GITLAB_TOKEN, the mirror's URL (a secret) from TARGET_URL: none on a command line.
"""
import json
import os
import sys

import pulumi
from pulumi import automation as auto

import pulumi_gitlab_mirrors as gitlab_mirrors


def program() -> None:
    mirror = gitlab_mirrors.RemoteMirror(
        "mirror", project="demo/app", url=pulumi.Output.secret(os.environ["TARGET_URL"])
    )
    pulumi.export("mirrorId", mirror.mirror_id)


def changes(summary) -> dict:
    return {(key.value if hasattr(key, "value") else key): count for key, count in (summary or {}).items()}


def main() -> None:
    work_dir, backend_dir = sys.argv[1], sys.argv[2]
    settings = auto.ProjectSettings(
        name="release-python", runtime="python", backend=auto.ProjectBackend(url=f"file://{backend_dir}")
    )
    options = auto.LocalWorkspaceOptions(work_dir=work_dir, project_settings=settings)
    stack = auto.create_stack("dev", project_name="release-python", program=program, opts=options)
    echo = lambda line: print(line, file=sys.stderr)
    up = stack.up(on_output=echo)
    preview = stack.preview(on_output=echo)
    destroy = stack.destroy(on_output=echo)
    print(json.dumps({
        "sdkFile": gitlab_mirrors.__file__,
        "up": {"changes": changes(up.summary.resource_changes), "mirrorId": up.outputs["mirrorId"].value},
        "preview": changes(preview.change_summary),
        "destroy": changes(destroy.summary.resource_changes),
    }))


if __name__ == "__main__":
    main()

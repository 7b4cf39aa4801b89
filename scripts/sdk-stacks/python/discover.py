"""A program that only reads: every mirror of the configured project, through the SDK's
get_remote_mirrors function (the plugin's getRemoteMirrors invoke)."""
import pulumi
import pulumi_gitlab_mirrors as gitlab_mirrors


def discover() -> None:
    project = pulumi.Config().require("project")
    result = gitlab_mirrors.get_remote_mirrors(project=project)
    pulumi.export("mirrors", [
        {"id": m.id, "url": m.url, "enabled": m.enabled, "updateStatus": m.update_status}
        for m in result.mirrors
    ])

"""The quickstart in Python: one GitLab project mirrored to another Git repository.

The GitLab connection is the provider's configuration, `gitlab-mirrors:baseUrl` and the secret
`gitlab-mirrors:token` (or GITLAB_BASE_URL and GITLAB_TOKEN). A function, so that the
Automation API can run it inline as well as `pulumi up` through __main__.py.
"""
import pulumi
import pulumi_gitlab_mirrors as gitlab_mirrors


def quickstart() -> None:
    config = pulumi.Config()
    sync = config.get_bool("sync")
    sync = True if sync is None else sync
    enabled = config.get_bool("enabled")

    mirror = gitlab_mirrors.RemoteMirror(
        "app-backup",
        project=config.get("project") or "demo/app",
        url=config.require_secret("targetUrl"),
        enabled=True if enabled is None else enabled,
        # Push right away and wait until GitLab reports the outcome, so `up` fails if mirroring fails.
        sync_on_apply=sync,
        wait_for_sync=sync,
    )

    pulumi.export("mirrorId", mirror.mirror_id)
    pulumi.export("projectId", mirror.project_id)
    pulumi.export("maskedUrl", mirror.masked_url)
    pulumi.export("enabled", mirror.enabled)
    pulumi.export("updateStatus", mirror.update_status)
    pulumi.export("lastSuccessfulUpdateAt", mirror.last_successful_update_at)
    pulumi.export("lastError", mirror.last_error)

"""Sets of push mirrors through the SDK's ProjectMirrors resource: one set per element of the
configuration object `sets` ([{"project", "mirrors": [{"url", ...}], "exclusive"}]), every URL kept
secret by the program as well as by the provider."""
import pulumi
import pulumi_gitlab_mirrors as gitlab_mirrors


def project_mirrors() -> None:
    sets = pulumi.Config().require_object("sets")
    for index, declared in enumerate(sets):
        entries = [
            gitlab_mirrors.MirrorEntryArgs(
                url=pulumi.Output.secret(entry["url"]),
                enabled=entry.get("enabled"),
                keep_divergent_refs=entry.get("keepDivergentRefs"),
            )
            for entry in declared["mirrors"]
        ]
        mirrors = gitlab_mirrors.ProjectMirrors(
            f"set-{index}",
            project=declared["project"],
            mirrors=entries,
            exclusive=declared.get("exclusive"),
        )
        pulumi.export(f"set{index}", {
            "projectId": mirrors.project_id,
            "mirrorIds": mirrors.mirrors.apply(lambda states: [s.mirror_id for s in states]),
            "unmanaged": mirrors.unmanaged_mirrors.apply(lambda found: [m.id for m in found]),
        })

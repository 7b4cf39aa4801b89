package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors"
)

type declaredEntry struct {
	URL               string `json:"url"`
	Enabled           *bool  `json:"enabled"`
	KeepDivergentRefs *bool  `json:"keepDivergentRefs"`
}

type declaredSet struct {
	Project   string          `json:"project"`
	Mirrors   []declaredEntry `json:"mirrors"`
	Exclusive *bool           `json:"exclusive"`
}

// projectMirrors declares one ProjectMirrors per element of the configuration object `sets`,
// every URL kept secret by the program as well as by the provider.
func projectMirrors(ctx *pulumi.Context) error {
	var sets []declaredSet
	config.RequireObject(ctx, "sets", &sets)
	for index, declared := range sets {
		entries := gitlabmirrors.MirrorEntryArray{}
		for _, entry := range declared.Mirrors {
			args := gitlabmirrors.MirrorEntryArgs{Url: pulumi.ToSecret(pulumi.String(entry.URL)).(pulumi.StringOutput)}
			if entry.Enabled != nil {
				args.Enabled = pulumi.BoolPtr(*entry.Enabled)
			}
			if entry.KeepDivergentRefs != nil {
				args.KeepDivergentRefs = pulumi.BoolPtr(*entry.KeepDivergentRefs)
			}
			entries = append(entries, args)
		}
		args := &gitlabmirrors.ProjectMirrorsArgs{Project: pulumi.String(declared.Project), Mirrors: entries}
		if declared.Exclusive != nil {
			args.Exclusive = pulumi.BoolPtr(*declared.Exclusive)
		}
		set, err := gitlabmirrors.NewProjectMirrors(ctx, fmt.Sprintf("set-%d", index), args)
		if err != nil {
			return err
		}
		ctx.Export(fmt.Sprintf("set%d", index), pulumi.Map{
			"projectId": set.ProjectId,
			"mirrorIds": set.Mirrors.ApplyT(func(states []gitlabmirrors.MirrorEntryState) []int {
				ids := make([]int, 0, len(states))
				for _, s := range states {
					ids = append(ids, s.MirrorId)
				}
				return ids
			}).(pulumi.IntArrayOutput),
			"unmanaged": set.UnmanagedMirrors.ApplyT(func(found []gitlabmirrors.UnmanagedMirror) []int {
				ids := make([]int, 0, len(found))
				for _, m := range found {
					ids = append(ids, m.Id)
				}
				return ids
			}).(pulumi.IntArrayOutput),
		})
	}
	return nil
}

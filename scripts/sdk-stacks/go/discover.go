package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors"
)

// discover only reads: every mirror of the configured project, through the SDK's
// GetRemoteMirrors function (the plugin's getRemoteMirrors invoke).
func discover(ctx *pulumi.Context) error {
	result, err := gitlabmirrors.GetRemoteMirrors(ctx, &gitlabmirrors.GetRemoteMirrorsArgs{
		Project: config.New(ctx, "").Require("project"),
	})
	if err != nil {
		return err
	}
	mirrors := make([]map[string]any, 0, len(result.Mirrors))
	for _, m := range result.Mirrors {
		mirrors = append(mirrors, map[string]any{"id": m.Id, "url": m.Url, "enabled": m.Enabled, "updateStatus": m.UpdateStatus})
	}
	ctx.Export("mirrors", pulumi.ToMapArray(mirrors))
	return nil
}

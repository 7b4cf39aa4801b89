// Package quickstart is the quickstart in Go: one GitLab project mirrored to another Git
// repository. The GitLab connection is the provider's configuration, `gitlab-mirrors:baseUrl`
// and the secret `gitlab-mirrors:token` (or GITLAB_BASE_URL and GITLAB_TOKEN).
//
// It is a package, not only a main, so that the Automation API can run it inline too.
package quickstart

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors"
)

// Program declares the mirror and exports what GitLab reports about it.
func Program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	project := cfg.Get("project")
	if project == "" {
		project = "demo/app"
	}
	sync := boolOr(cfg, "sync", true)
	enabled := boolOr(cfg, "enabled", true)

	mirror, err := gitlabmirrors.NewRemoteMirror(ctx, "app-backup", &gitlabmirrors.RemoteMirrorArgs{
		Project: pulumi.String(project),
		Url:     cfg.RequireSecret("targetUrl"),
		Enabled: pulumi.Bool(enabled),
		// Push right away and wait until GitLab reports the outcome, so `up` fails if mirroring fails.
		SyncOnApply: pulumi.Bool(sync),
		WaitForSync: pulumi.Bool(sync),
	})
	if err != nil {
		return err
	}

	ctx.Export("mirrorId", mirror.MirrorId)
	ctx.Export("projectId", mirror.ProjectId)
	ctx.Export("maskedUrl", mirror.MaskedUrl)
	ctx.Export("enabled", mirror.Enabled)
	ctx.Export("updateStatus", mirror.UpdateStatus)
	ctx.Export("lastSuccessfulUpdateAt", mirror.LastSuccessfulUpdateAt)
	ctx.Export("lastError", mirror.LastError)
	return nil
}

// boolOr reads a boolean setting, with a default when it is not set.
func boolOr(cfg *config.Config, key string, fallback bool) bool {
	if value, err := cfg.TryBool(key); err == nil {
		return value
	}
	return fallback
}

// GitLab push mirrors (remote mirrors) as Pulumi resources, with credential rotation, drift detection and opt-in sync.
package gitlabmirrors

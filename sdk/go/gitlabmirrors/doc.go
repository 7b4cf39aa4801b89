// Pulumi provider for GitLab push mirrors (remote mirrors), with a local GitLab emulator
package gitlabmirrors

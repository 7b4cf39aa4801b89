package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Harness scripts shipped inside @pulumi/pulumi, resolved from the program directory
// so that the program's own copy of the SDK runs it.
const (
	runHarness       = "@pulumi/pulumi/cmd/run"
	runPluginHarness = "@pulumi/pulumi/cmd/run-plugin"
)

// exitAfterReportedError is the exit code the run harness uses when it has already
// shown the error to the user through the engine's log; the engine must then stop
// without printing anything more (RunResponse.bail).
const exitAfterReportedError = 32

// resolveScript asks node where `specifier` resolves from `dir`, so the answer
// follows node's own rules (parent node_modules, NODE_PATH, package exports).
func resolveScript(ctx context.Context, nodePath, dir, specifier string) (string, error) {
	const resolver = `process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))`
	cmd := exec.CommandContext(ctx, nodePath, "-e", resolver, specifier, dir)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf(
			"cannot find %s from %s: is @pulumi/pulumi installed there (npm install)? node said: %s",
			specifier, dir, lastLine(stderr.String(), err))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// lastLine keeps error text short: node prints a stack after the useful first lines.
func lastLine(output string, fallback error) string {
	for _, line := range strings.Split(output, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "Error:") {
			return line
		}
	}
	return fallback.Error()
}

// findNode locates the node executable on PATH.
func findNode() (string, error) {
	nodePath, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("node is not on PATH; install Node.js to run Pulumi programs with runtime nodejs: %w", err)
	}
	return nodePath, nil
}

// programOutcome turns the harness's exit status into the Run response fields.
func programOutcome(runErr error) (message string, bail bool) {
	if runErr == nil {
		return "", false
	}
	var exitErr *exec.ExitError
	if !errors.As(runErr, &exitErr) {
		return fmt.Sprintf("failed to start the Node.js program: %v", runErr), false
	}
	code := exitErr.ExitCode()
	switch {
	case code == exitAfterReportedError:
		return "the Node.js program failed and has already reported why", true
	case code < 0:
		return fmt.Sprintf("the Node.js program was stopped: %v", exitErr), false
	default:
		return fmt.Sprintf("the Node.js program exited with code %d", code), false
	}
}

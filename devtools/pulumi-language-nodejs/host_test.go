package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// fakeNode stands in for node: it answers the resolver call ("-e", script, specifier,
// directory) with <directory>/node_modules/<specifier>/index.js, and otherwise records its arguments, working directory and environment, prints one
// line on each stream and exits with FAKE_NODE_EXIT.
const fakeNode = `#!/bin/sh
if [ "$1" = "-e" ]; then
  if [ -n "$FAKE_NODE_UNRESOLVABLE" ]; then echo "Error: Cannot find module '$3'" >&2; exit 1; fi
  printf '%s' "$4/node_modules/$3/index.js"; exit 0
fi
if [ "$1" = "--version" ]; then echo v20.20.0; exit 0; fi
printf '%s\n' "$@" > "$FAKE_RECORD/argv"
pwd > "$FAKE_RECORD/pwd"
env > "$FAKE_RECORD/env"
echo "out from program"
echo "err from program" >&2
exit "${FAKE_NODE_EXIT:-0}"
`

// fakeNpm records that it ran and where, and creates node_modules like npm would.
const fakeNpm = `#!/bin/sh
printf '%s\n' "$@" > "$FAKE_RECORD/npm-argv"
pwd > "$FAKE_RECORD/npm-pwd"
mkdir node_modules
echo "added 0 packages"
echo "npm warn something" >&2
`

type hostFixture struct {
	client pulumirpc.LanguageRuntimeClient
	record string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

// startHost serves a languageHost on 127.0.0.1:0 with fake node and npm first on PATH.
func startHost(t *testing.T) hostFixture {
	t.Helper()
	bin := t.TempDir()
	record := t.TempDir()
	for name, script := range map[string]string{"node": fakeNode, "npm": fakeNpm} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_RECORD", record)

	stdout, stderr := &bytes.Buffer{}, &bytes.Buffer{}
	host := newLanguageHost("127.0.0.1:1", "", stdout, stderr)
	stop := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(s, host)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(handle.Port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		close(stop)
		<-handle.Done
	})
	return hostFixture{client: pulumirpc.NewLanguageRuntimeClient(conn), record: record, stdout: stdout, stderr: stderr}
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func readRecord(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return string(data)
}

func runRequest(t *testing.T, programDir string, options map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		Project:          "proj",
		Stack:            "dev",
		Pwd:              programDir,
		MonitorAddress:   "127.0.0.1:7001",
		DryRun:           true,
		Parallel:         4,
		Config:           map[string]string{"proj:text": "hi"},
		ConfigSecretKeys: []string{"proj:text"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    programDir,
			ProgramDirectory: programDir,
			EntryPoint:       "index.js",
			Options:          opts,
		},
	}
}

func TestGetPluginInfoReportsThePinnedPulumiVersion(t *testing.T) {
	want := pinnedPulumiVersion(t)
	h := startHost(t)
	info, err := h.client.GetPluginInfo(testContext(t), &emptypb.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if info.GetVersion() != want {
		t.Fatalf("version = %q, want %q (PULUMI_VERSION in pulumi-versions.env; keep go.mod's %s equal to it)",
			info.GetVersion(), want, sdkModule)
	}
}

// pinnedPulumiVersion reads PULUMI_VERSION from the repository's pulumi-versions.env.
func pinnedPulumiVersion(t *testing.T) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "..", "pulumi-versions.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(text), "\n") {
		if value, found := strings.CutPrefix(strings.TrimSpace(line), "PULUMI_VERSION="); found {
			return value
		}
	}
	t.Fatal("pulumi-versions.env has no PULUMI_VERSION line")
	return ""
}

func TestRequiredPluginsAndPackagesAreEmpty(t *testing.T) {
	h := startHost(t)
	ctx := testContext(t)
	plugins, err := h.client.GetRequiredPlugins(ctx, &pulumirpc.GetRequiredPluginsRequest{Project: "proj"})
	if err != nil || len(plugins.GetPlugins()) != 0 {
		t.Fatalf("GetRequiredPlugins = %v, %v; want empty", plugins, err)
	}
	packages, err := h.client.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{})
	if err != nil || len(packages.GetPackages()) != 0 {
		t.Fatalf("GetRequiredPackages = %v, %v; want empty", packages, err)
	}
}

func TestRunStartsTheHarnessWithFlagsEnvironmentAndHandshakeEngine(t *testing.T) {
	h := startHost(t)
	ctx := testContext(t)
	if _, err := h.client.Handshake(ctx, &pulumirpc.LanguageHandshakeRequest{EngineAddress: "127.0.0.1:7000"}); err != nil {
		t.Fatal(err)
	}
	program := t.TempDir()
	resp, err := h.client.Run(ctx, runRequest(t, program, map[string]any{"typescript": false}))
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetError() != "" || resp.GetBail() {
		t.Fatalf("Run = %+v, want success", resp)
	}
	wantArgv := []string{
		program + "/node_modules/@pulumi/pulumi/cmd/run/index.js",
		"--monitor=127.0.0.1:7001", "--project=proj", "--stack=dev", "--pwd=" + program,
		"--engine=127.0.0.1:7000", "--root-directory=" + program, "--dry-run", "--parallel=4",
		"index.js",
	}
	if got := strings.Split(strings.TrimSpace(readRecord(t, h.record, "argv")), "\n"); !reflect.DeepEqual(got, wantArgv) {
		t.Fatalf("argv\n got %q\nwant %q", got, wantArgv)
	}
	if got := strings.TrimSpace(readRecord(t, h.record, "pwd")); got != program {
		t.Fatalf("program ran in %q, want %q", got, program)
	}
	env := strings.Split(readRecord(t, h.record, "env"), "\n")
	for _, want := range []string{
		`PULUMI_CONFIG={"proj:text":"hi"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["proj:text"]`,
		"PULUMI_NODEJS_TYPESCRIPT=false",
	} {
		if !slices.Contains(env, want) {
			t.Errorf("environment lacks %s", want)
		}
	}
	if h.stdout.String() != "out from program\n" || h.stderr.String() != "err from program\n" {
		t.Fatalf("forwarded stdout %q stderr %q", h.stdout.String(), h.stderr.String())
	}
}

func TestRunResolvesTheHarnessFromTheProgramDirectory(t *testing.T) {
	h := startHost(t)
	program := t.TempDir()
	if _, err := h.client.Run(testContext(t), runRequest(t, program, nil)); err != nil {
		t.Fatal(err)
	}
	argv := strings.Split(readRecord(t, h.record, "argv"), "\n")
	// The fake resolver answers from the directory it is given, like require.resolve's paths.
	if want := program + "/node_modules/@pulumi/pulumi/cmd/run/index.js"; argv[0] != want {
		t.Fatalf("harness path %q, want %q", argv[0], want)
	}
	env := strings.Split(readRecord(t, h.record, "env"), "\n")
	if !slices.Contains(env, "PULUMI_NODEJS_TYPESCRIPT=true") {
		t.Fatal("TypeScript must default to on")
	}
}

func TestRunReportsProgramFailures(t *testing.T) {
	cases := []struct {
		exit     string
		wantErr  string
		wantBail bool
	}{
		{"32", "the Node.js program failed and has already reported why", true},
		{"3", "the Node.js program exited with code 3", false},
	}
	for _, tc := range cases {
		t.Run("exit "+tc.exit, func(t *testing.T) {
			h := startHost(t)
			t.Setenv("FAKE_NODE_EXIT", tc.exit)
			resp, err := h.client.Run(testContext(t), runRequest(t, t.TempDir(), nil))
			if err != nil {
				t.Fatal(err)
			}
			if resp.GetError() != tc.wantErr || resp.GetBail() != tc.wantBail {
				t.Fatalf("Run = {error: %q, bail: %v}, want {error: %q, bail: %v}",
					resp.GetError(), resp.GetBail(), tc.wantErr, tc.wantBail)
			}
		})
	}
}

func TestRunReportsAMissingPulumiSDK(t *testing.T) {
	h := startHost(t)
	t.Setenv("FAKE_NODE_UNRESOLVABLE", "1")
	program := t.TempDir()
	resp, err := h.client.Run(testContext(t), runRequest(t, program, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := "cannot find @pulumi/pulumi/cmd/run from " + program +
		": is @pulumi/pulumi installed there (npm install)? node said: Error: Cannot find module '@pulumi/pulumi/cmd/run'"
	if resp.GetError() != want {
		t.Fatalf("error %q\nwant  %q", resp.GetError(), want)
	}
}

func TestRunRejectsBadRuntimeOptions(t *testing.T) {
	h := startHost(t)
	resp, err := h.client.Run(testContext(t), runRequest(t, t.TempDir(), map[string]any{"typescript": "maybe"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `runtime option 'typescript' must be true or false, got the string "maybe"`; resp.GetError() != want {
		t.Fatalf("error %q, want %q", resp.GetError(), want)
	}
}

func collectInstall(t *testing.T, h hostFixture, dir string) (stdout, stderr string, err error) {
	t.Helper()
	stream, err := h.client.InstallDependencies(testContext(t), &pulumirpc.InstallDependenciesRequest{
		Directory: dir,
		Info:      &pulumirpc.ProgramInfo{ProgramDirectory: dir, RootDirectory: dir, EntryPoint: "."},
	})
	if err != nil {
		return "", "", err
	}
	var out, errOut strings.Builder
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return out.String(), errOut.String(), nil
		}
		if err != nil {
			return out.String(), errOut.String(), err
		}
		out.Write(msg.GetStdout())
		errOut.Write(msg.GetStderr())
	}
}

func TestInstallDependenciesRunsNpmInstallWhenNodeModulesIsMissing(t *testing.T) {
	h := startHost(t)
	program := t.TempDir()
	if err := os.WriteFile(filepath.Join(program, "package.json"), []byte(`{"name":"p"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := collectInstall(t, h, program)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(readRecord(t, h.record, "npm-argv")); got != "install" {
		t.Fatalf("npm called with %q, want install", got)
	}
	if got := strings.TrimSpace(readRecord(t, h.record, "npm-pwd")); got != program {
		t.Fatalf("npm ran in %q, want %q", got, program)
	}
	wantOut := "Installing dependencies: npm install in " + program + "\nadded 0 packages\n"
	if stdout != wantOut || stderr != "npm warn something\n" {
		t.Fatalf("streamed stdout %q stderr %q", stdout, stderr)
	}
}

func TestInstallDependenciesLeavesOtherDirectoriesAlone(t *testing.T) {
	cases := map[string]func(t *testing.T, dir string){
		"no package.json": func(t *testing.T, dir string) {},
		"node_modules already present": func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{}`), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(dir, "node_modules"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, prepare := range cases {
		t.Run(name, func(t *testing.T) {
			h := startHost(t)
			program := t.TempDir()
			prepare(t, program)
			stdout, stderr, err := collectInstall(t, h, program)
			if err != nil || stdout != "" || stderr != "" {
				t.Fatalf("InstallDependencies = %q, %q, %v; want nothing", stdout, stderr, err)
			}
			if _, err := os.Stat(filepath.Join(h.record, "npm-argv")); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("npm must not run, stat: %v", err)
			}
		})
	}
}

func TestRunPluginStreamsOutputAndExitCode(t *testing.T) {
	h := startHost(t)
	t.Setenv("FAKE_NODE_EXIT", "7")
	plugin := t.TempDir()
	stream, err := h.client.RunPlugin(testContext(t), &pulumirpc.RunPluginRequest{
		Pwd:  plugin,
		Args: []string{"127.0.0.1:7000"},
		Env:  []string{"PLUGIN_MARKER=yes"},
		Info: &pulumirpc.ProgramInfo{ProgramDirectory: plugin, RootDirectory: plugin, EntryPoint: "."},
	})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	exitCode := int32(-1)
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		stdout.Write(msg.GetStdout())
		stderr.Write(msg.GetStderr())
		if out, ok := msg.GetOutput().(*pulumirpc.RunPluginResponse_Exitcode); ok {
			exitCode = out.Exitcode
		}
	}
	if stdout.String() != "out from program\n" || stderr.String() != "err from program\n" || exitCode != 7 {
		t.Fatalf("stdout %q stderr %q exit %d", stdout.String(), stderr.String(), exitCode)
	}
	wantArgv := []string{plugin + "/node_modules/@pulumi/pulumi/cmd/run-plugin/index.js", plugin, "127.0.0.1:7000"}
	if got := strings.Split(strings.TrimSpace(readRecord(t, h.record, "argv")), "\n"); !reflect.DeepEqual(got, wantArgv) {
		t.Fatalf("argv\n got %q\nwant %q", got, wantArgv)
	}
	if !slices.Contains(strings.Split(readRecord(t, h.record, "env"), "\n"), "PLUGIN_MARKER=yes") {
		t.Fatal("RunPlugin must pass the requested environment")
	}
}

func TestAboutReportsNode(t *testing.T) {
	h := startHost(t)
	about, err := h.client.About(testContext(t), &pulumirpc.AboutRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if about.GetVersion() != "20.20.0" || filepath.Base(about.GetExecutable()) != "node" {
		t.Fatalf("About = %+v", about)
	}
}

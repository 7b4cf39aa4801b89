package main

import (
	"reflect"
	"testing"
)

func TestNodeArgvPutsHarnessFlagsBeforeTheProgram(t *testing.T) {
	run := programRun{
		harnessPath:    "/p/node_modules/@pulumi/pulumi/cmd/run/index.js",
		monitorAddress: "127.0.0.1:5001",
		engineAddress:  "127.0.0.1:5000",
		tracing:        "http://127.0.0.1:9411",
		project:        "proj",
		stack:          "dev",
		organization:   "org",
		pwd:            "/p",
		rootDirectory:  "/p",
		entryPoint:     "index.js",
		programArgs:    []string{"--flag-for-program"},
		dryRun:         true,
		parallel:       16,
		options:        runtimeOptions{typescript: false, nodeArgs: []string{"--trace-warnings"}},
	}
	want := []string{
		"--trace-warnings",
		"/p/node_modules/@pulumi/pulumi/cmd/run/index.js",
		"--monitor=127.0.0.1:5001",
		"--project=proj",
		"--stack=dev",
		"--pwd=/p",
		"--engine=127.0.0.1:5000",
		"--organization=org",
		"--root-directory=/p",
		"--dry-run",
		"--parallel=16",
		"--tracing=http://127.0.0.1:9411",
		"index.js",
		"--flag-for-program",
	}
	if got := run.nodeArgv(); !reflect.DeepEqual(got, want) {
		t.Fatalf("argv\n got %q\nwant %q", got, want)
	}
}

func TestNodeArgvOmitsUnsetFlagsAndDefaultsTheEntryPoint(t *testing.T) {
	run := programRun{harnessPath: "/h.js", monitorAddress: "127.0.0.1:1", project: "p", stack: "s", pwd: "/p"}
	want := []string{"/h.js", "--monitor=127.0.0.1:1", "--project=p", "--stack=s", "--pwd=/p", "."}
	if got := run.nodeArgv(); !reflect.DeepEqual(got, want) {
		t.Fatalf("argv\n got %q\nwant %q", got, want)
	}
}

func TestEnvironmentCarriesConfigSecretKeysAndTypeScriptSettings(t *testing.T) {
	run := programRun{
		config:     map[string]string{"proj:text": "hi", "gitlab:token": "t"},
		secretKeys: []string{"gitlab:token", "proj:a"},
		options:    runtimeOptions{typescript: true, tsconfig: "tsconfig.pulumi.json"},
	}
	got, err := run.environment()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`PULUMI_CONFIG={"gitlab:token":"t","proj:text":"hi"}`,
		`PULUMI_CONFIG_SECRET_KEYS=["gitlab:token","proj:a"]`,
		"PULUMI_NODEJS_TYPESCRIPT=true",
		"PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.pulumi.json",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("env\n got %q\nwant %q", got, want)
	}
}

func TestEnvironmentWithoutConfigIsEmptyJSON(t *testing.T) {
	got, err := (programRun{options: runtimeOptions{typescript: false}}).environment()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PULUMI_CONFIG={}", "PULUMI_CONFIG_SECRET_KEYS=[]", "PULUMI_NODEJS_TYPESCRIPT=false"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("env\n got %q\nwant %q", got, want)
	}
}

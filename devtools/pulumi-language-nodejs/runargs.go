package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// programRun is everything needed to start the run harness for one program.
type programRun struct {
	harnessPath    string // resolved @pulumi/pulumi/cmd/run
	monitorAddress string
	engineAddress  string
	tracing        string
	project        string
	stack          string
	organization   string
	pwd            string // program directory; the harness chdirs here
	rootDirectory  string // directory holding Pulumi.yaml
	entryPoint     string // relative to pwd; "." lets the harness read package.json
	programArgs    []string
	dryRun         bool
	parallel       int32
	config         map[string]string
	secretKeys     []string
	options        runtimeOptions
}

// nodeArgv returns node's arguments: node flags, the harness script, the harness
// flags (always --name=value, because the harness parses with stopEarly and would
// otherwise take a value for the program), then the program and its arguments.
func (r programRun) nodeArgv() []string {
	argv := append([]string{}, r.options.nodeArgs...)
	argv = append(argv, r.harnessPath)
	argv = append(argv,
		"--monitor="+r.monitorAddress,
		"--project="+r.project,
		"--stack="+r.stack,
		"--pwd="+r.pwd,
	)
	if r.engineAddress != "" {
		argv = append(argv, "--engine="+r.engineAddress)
	}
	if r.organization != "" {
		argv = append(argv, "--organization="+r.organization)
	}
	if r.rootDirectory != "" {
		argv = append(argv, "--root-directory="+r.rootDirectory)
	}
	if r.dryRun {
		argv = append(argv, "--dry-run")
	}
	if r.parallel > 0 {
		argv = append(argv, "--parallel="+strconv.Itoa(int(r.parallel)))
	}
	if r.tracing != "" {
		argv = append(argv, "--tracing="+r.tracing)
	}
	entryPoint := r.entryPoint
	if entryPoint == "" {
		entryPoint = "."
	}
	argv = append(argv, entryPoint)
	return append(argv, r.programArgs...)
}

// environment returns the variables the harness and @pulumi/pulumi read, to be
// appended to the inherited environment (later entries win in os/exec).
func (r programRun) environment() ([]string, error) {
	config := r.config
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("encoding stack config for the program: %w", err)
	}
	secretKeys := append([]string{}, r.secretKeys...)
	sort.Strings(secretKeys)
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("encoding secret config keys for the program: %w", err)
	}
	env := []string{
		"PULUMI_CONFIG=" + string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS=" + string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT=" + strconv.FormatBool(r.options.typescript),
	}
	if r.options.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+r.options.tsconfig)
	}
	return env, nil
}

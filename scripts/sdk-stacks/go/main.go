// Command stackcli runs one Pulumi operation on the Go quickstart (examples/go) inline, through
// the Automation API, and prints the result as one JSON line on stdout (engine output goes to
// stderr): the Go twin of scripts/stack-cli.ts, driven by harness/sdk-stack.ts for the Go
// end-to-end tests and demo.
//
//	stackcli <up|preview|refresh|destroy|export> -project NAME -stack NAME -state-dir DIR
//	    -config-file FILE -plugin-dir DIR [-program quickstart|discover|project_mirrors]
//
// The stack lives on a local file backend with its own PULUMI_HOME under -state-dir; the
// provider plugin comes from -plugin-dir, listed in the project's `plugins.providers`.
// PULUMI_BIN_DIR names the directory of the `pulumi` CLI.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gitlab-mirrors/gitlab-mirrors/examples/go/quickstart"
)

const passphrase = "gitlab-mirrors-local-stack"

type configEntry struct {
	Value  string `json:"value"`
	Secret bool   `json:"secret"`
}

type output struct {
	Value  any  `json:"value"`
	Secret bool `json:"secret"`
}

type options struct {
	operation, project, stack, stateDir, configFile, pluginDir, program string
}

// programs are the inline programs this driver can run.
var programs = map[string]pulumi.RunFunc{
	"quickstart": quickstart.Program,
	"discover":   discover,
	// ProjectMirrors sets declared by the configuration object `sets`.
	"project_mirrors": projectMirrors,
}

func main() {
	result, err := run()
	if err != nil {
		result = map[string]any{"ok": false, "error": err.Error()}
	} else {
		result["ok"] = true
	}
	line, _ := json.Marshal(result)
	fmt.Println(string(line))
}

func parseOptions() (options, error) {
	var o options
	if len(os.Args) < 2 {
		return o, errors.New("usage: stackcli <up|preview|refresh|destroy|export> [flags]")
	}
	o.operation = os.Args[1]
	flags := flag.NewFlagSet("stackcli", flag.ContinueOnError)
	flags.StringVar(&o.project, "project", "", "Pulumi project name")
	flags.StringVar(&o.stack, "stack", "", "stack name")
	flags.StringVar(&o.stateDir, "state-dir", "", "directory for the backend, PULUMI_HOME and the workspace")
	flags.StringVar(&o.configFile, "config-file", "", "JSON file of {key: {value, secret}}")
	flags.StringVar(&o.pluginDir, "plugin-dir", "", "the provider plugin's directory")
	flags.StringVar(&o.program, "program", "quickstart", "the inline program: quickstart, discover or project_mirrors")
	if err := flags.Parse(os.Args[2:]); err != nil {
		return o, err
	}
	for name, value := range map[string]string{"project": o.project, "stack": o.stack, "state-dir": o.stateDir,
		"config-file": o.configFile, "plugin-dir": o.pluginDir} {
		if value == "" {
			return o, fmt.Errorf("-%s is required", name)
		}
	}
	if programs[o.program] == nil {
		return o, fmt.Errorf("unknown -program %q: expected quickstart, discover or project_mirrors", o.program)
	}
	return o, nil
}

func run() (map[string]any, error) {
	o, err := parseOptions()
	if err != nil {
		return nil, err
	}
	binDir := os.Getenv("PULUMI_BIN_DIR")
	if binDir == "" {
		return nil, errors.New("PULUMI_BIN_DIR must name the directory of the pulumi CLI")
	}
	ctx := context.Background()
	workDir, backendDir, home := filepath.Join(o.stateDir, "workspace"), filepath.Join(o.stateDir, "backend"), filepath.Join(o.stateDir, "home")
	for _, dir := range []string{workDir, backendDir, home} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	pluginDir, err := filepath.Abs(o.pluginDir)
	if err != nil {
		return nil, err
	}
	pulumiCmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: filepath.Dir(binDir)})
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":                          "file://" + backendDir,
		"PULUMI_CONFIG_PASSPHRASE":                    passphrase,
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		// The plugin runs under the Node.js language host beside the CLI.
		"PATH": binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	ws, err := auto.NewLocalWorkspace(ctx,
		auto.WorkDir(workDir),
		auto.PulumiHome(home),
		auto.Pulumi(pulumiCmd),
		auto.EnvVars(env),
		auto.Program(programs[o.program]),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(o.project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + backendDir},
			Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "gitlab-mirrors", Path: pluginDir}}},
		}),
	)
	if err != nil {
		return nil, err
	}
	stack, err := auto.UpsertStack(ctx, o.stack, ws)
	if err != nil {
		return nil, err
	}
	cli := cliRunner{bin: filepath.Join(binDir, "pulumi"), dir: workDir, env: env, home: home}
	if err := setConfig(cli, o.stack, o.configFile); err != nil {
		return nil, err
	}

	progress := os.Stderr
	switch o.operation {
	case "up":
		res, err := stack.Up(ctx, optup.ProgressStreams(progress))
		if err != nil {
			return nil, err
		}
		return map[string]any{"changes": changes(res.Summary.ResourceChanges), "outputs": outputs(res.Outputs)}, nil
	case "preview":
		res, err := stack.Preview(ctx, optpreview.ProgressStreams(progress))
		if err != nil {
			return nil, err
		}
		summary := map[string]int{}
		for op, count := range res.ChangeSummary {
			summary[string(op)] = count
		}
		return map[string]any{"changes": summary}, nil
	case "refresh":
		res, err := stack.Refresh(ctx, optrefresh.ProgressStreams(progress))
		if err != nil {
			return nil, err
		}
		current, err := stack.Outputs(ctx)
		if err != nil {
			return nil, err
		}
		return map[string]any{"changes": changes(res.Summary.ResourceChanges), "outputs": outputs(current)}, nil
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.ProgressStreams(progress))
		if err != nil {
			return nil, err
		}
		return map[string]any{"changes": changes(res.Summary.ResourceChanges)}, nil
	case "export":
		// The CLI's own `pulumi stack export`: the Automation API's ExportStack adds --show-secrets.
		out, err := cli.run("", "stack", "export", "--stack", o.stack)
		if err != nil {
			return nil, err
		}
		var deployment any
		if err := json.Unmarshal(out, &deployment); err != nil {
			return nil, err
		}
		return map[string]any{"deployment": deployment}, nil
	}
	return nil, fmt.Errorf("unknown operation %q: expected up, preview, refresh, destroy or export", o.operation)
}

// cliRunner runs the pulumi CLI in the workspace, as the Automation API would.
type cliRunner struct {
	bin, dir, home string
	env            map[string]string
}

func (c cliRunner) run(stdin string, args ...string) ([]byte, error) {
	cmd := exec.Command(c.bin, append(args, "--non-interactive")...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "PULUMI_HOME="+c.home)
	for key, value := range c.env {
		cmd.Env = append(cmd.Env, key+"="+value)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("pulumi %s failed: %w: %s", strings.Join(args[:2], " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// setConfig passes each value to `pulumi config set` on stdin: secrets never reach a command line.
func setConfig(cli cliRunner, stack, file string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var config map[string]configEntry
	if err := json.Unmarshal(raw, &config); err != nil {
		return err
	}
	for key, entry := range config {
		flag := "--plaintext"
		if entry.Secret {
			flag = "--secret"
		}
		if _, err := cli.run(entry.Value, "config", "set", flag, "--stack", stack, key); err != nil {
			return err
		}
	}
	return nil
}

func changes(summary *map[string]int) map[string]int {
	if summary == nil {
		return map[string]int{}
	}
	return *summary
}

func outputs(values auto.OutputMap) map[string]output {
	result := map[string]output{}
	for name, value := range values {
		result[name] = output{Value: value.Value, Secret: value.Secret}
	}
	return result
}

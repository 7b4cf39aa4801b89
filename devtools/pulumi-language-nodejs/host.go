package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// sdkModule is the Pulumi SDK this host is built with. Its version (go.mod, kept equal to
// PULUMI_VERSION in pulumi-versions.env) is reported when the build did not stamp
// version.Version (scripts/setup-pulumi.sh stamps it with -ldflags -X).
const sdkModule = "github.com/pulumi/pulumi/sdk/v3"

// childWaitDelay bounds how long a cancelled child may keep its output pipes open.
const childWaitDelay = 5 * time.Second

// languageHost implements the parts of the language runtime protocol that running
// local Node.js programs needs. Code generation, packing, linking and templates are
// left to the embedded Unimplemented server: those commands report "unimplemented".
type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string
	// programStdout and programStderr receive the program's output; they are this
	// process's own stdout and stderr, which the engine shows to the user.
	programStdout io.Writer
	programStderr io.Writer

	mu            sync.Mutex
	engineAddress string
}

func newLanguageHost(engineAddress, tracing string, programStdout, programStderr io.Writer) *languageHost {
	return &languageHost{
		engineAddress: engineAddress,
		tracing:       tracing,
		programStdout: programStdout,
		programStderr: programStderr,
	}
}

func (h *languageHost) currentEngineAddress() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.mu.Lock()
		h.engineAddress = req.GetEngineAddress()
		h.mu.Unlock()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion()}, nil
}

func pluginVersion() string {
	if stamped := strings.TrimPrefix(version.Version, "v"); stamped != "" {
		return stamped
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == sdkModule {
				return strings.TrimPrefix(dep.Version, "v")
			}
		}
	}
	return "0.0.0"
}

// GetRequiredPlugins reports nothing: dynamic providers run in the bundled
// pulumi-resource-pulumi-nodejs plugin, which the engine never downloads.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports nothing, for the same reason as GetRequiredPlugins.
func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// GetProgramDependencies reports nothing; it only feeds `pulumi about`.
func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodePath, err := findNode()
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	out, err := exec.CommandContext(ctx, nodePath, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "running %s --version: %v", nodePath, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: nodePath,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// Run starts the program under @pulumi/pulumi's run harness and waits for it. A
// failing program is reported in the response, not as an RPC error, so the engine
// shows it as the program's failure.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	options, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	programDir := info.GetProgramDirectory()
	entryPoint := info.GetEntryPoint()
	if info == nil {
		// Engines that predate ProgramInfo send only pwd and program.
		programDir, entryPoint = req.GetPwd(), req.GetProgram()
	}
	nodePath, err := findNode()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	harnessPath, err := resolveScript(ctx, nodePath, programDir, runHarness)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	run := programRun{
		harnessPath:    harnessPath,
		monitorAddress: req.GetMonitorAddress(),
		engineAddress:  h.currentEngineAddress(),
		tracing:        h.tracing,
		project:        req.GetProject(),
		stack:          req.GetStack(),
		organization:   req.GetOrganization(),
		pwd:            programDir,
		rootDirectory:  info.GetRootDirectory(),
		entryPoint:     entryPoint,
		programArgs:    req.GetArgs(),
		dryRun:         req.GetDryRun(),
		parallel:       req.GetParallel(),
		config:         req.GetConfig(),
		secretKeys:     req.GetConfigSecretKeys(),
		options:        options,
	}
	env, err := run.environment()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	cmd := exec.CommandContext(ctx, nodePath, run.nodeArgv()...)
	cmd.Dir = programDir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = h.programStdout
	cmd.Stderr = h.programStderr
	cmd.WaitDelay = childWaitDelay
	message, bail := programOutcome(cmd.Run())
	return &pulumirpc.RunResponse{Error: message, Bail: bail}, nil
}

// InstallDependencies runs `npm install` only for a program that has a package.json
// but no node_modules yet; an installed tree is left alone so that `pulumi up`
// never rewrites a developer's dependencies.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	needed, err := needsNpmInstall(dir)
	if err != nil || !needed {
		return err
	}
	npmPath, err := exec.LookPath("npm")
	if err != nil {
		return status.Errorf(codes.FailedPrecondition, "%s has a package.json but no node_modules, and npm is not on PATH", dir)
	}
	sender := &streamSender{send: func(stdout, stderr []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: stdout, Stderr: stderr})
	}}
	if _, err := fmt.Fprintf(sender.writer(false), "Installing dependencies: npm install in %s\n", dir); err != nil {
		return err
	}
	cmd := exec.CommandContext(server.Context(), npmPath, "install")
	cmd.Dir = dir
	cmd.Stdout = sender.writer(false)
	cmd.Stderr = sender.writer(true)
	cmd.WaitDelay = childWaitDelay
	if err := cmd.Run(); err != nil {
		return status.Errorf(codes.Unknown, "npm install in %s failed: %v", dir, err)
	}
	return nil
}

func needsNpmInstall(dir string) (bool, error) {
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		return false, status.Errorf(codes.Internal, "checking %s for package.json: %v", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
		return false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, status.Errorf(codes.Internal, "checking %s for node_modules: %v", dir, err)
	}
	return true, nil
}

// RunPlugin starts a plugin written in Node.js (a directory with PulumiPlugin.yaml)
// under @pulumi/pulumi's run-plugin harness, streaming its output (the first stdout
// line is the plugin's port, which the engine reads) and finally its exit code.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	info := req.GetInfo()
	options, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	pluginDir := info.GetProgramDirectory()
	if pluginDir == "" {
		pluginDir = req.GetProgram()
	}
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = pluginDir
	}
	nodePath, err := findNode()
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	harnessPath, err := resolveScript(server.Context(), nodePath, pluginDir, runPluginHarness)
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}

	argv := append(append([]string{}, options.nodeArgs...), harnessPath, pluginDir)
	argv = append(argv, req.GetArgs()...)
	sender := &streamSender{send: func(stdout, stderr []byte) error {
		if stderr != nil {
			return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: stderr}})
		}
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: stdout}})
	}}
	cmd := exec.CommandContext(server.Context(), nodePath, argv...)
	cmd.Dir = pwd
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	cmd.Stdout = sender.writer(false)
	cmd.Stderr = sender.writer(true)
	cmd.WaitDelay = childWaitDelay

	exitCode := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return status.Errorf(codes.Unknown, "running plugin %s: %v", pluginDir, err)
		}
		exitCode = exitErr.ExitCode()
	}
	sender.mu.Lock()
	defer sender.mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitCode)},
	})
}

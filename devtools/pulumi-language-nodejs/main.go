// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi
// CLI. The engine starts it like any plugin, reads the port it prints, and asks it
// over gRPC to run local Node.js programs through @pulumi/pulumi's own run harness.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// engineHealthInterval is how often the host checks that the engine that started it
// is still alive, so that an orphaned host exits instead of lingering.
const engineHealthInterval = 10 * time.Second

func main() {
	if err := serve(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func serve(args []string) error {
	commandLine := parseCommandLine(args)
	host := newLanguageHost(commandLine.engineAddress, commandLine.tracing, os.Stdout, os.Stderr)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if commandLine.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, commandLine.engineAddress, engineHealthInterval, cancel); err != nil {
			return fmt.Errorf("watching engine %s: %w", commandLine.engineAddress, err)
		}
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, host)
			return nil
		},
	})
	if err != nil {
		return err
	}
	// The engine reads this first stdout line to learn where to connect.
	fmt.Printf("%d\n", handle.Port)
	return <-handle.Done
}

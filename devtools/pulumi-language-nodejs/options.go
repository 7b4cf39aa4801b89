package main

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// runtimeOptions are the Pulumi.yaml `runtime.options` this host honours.
type runtimeOptions struct {
	// typescript makes the run harness register ts-node before loading the program.
	typescript bool
	// tsconfig is the tsconfig path handed to the harness; empty means its default.
	tsconfig string
	// nodeArgs go to node itself, before the harness script.
	nodeArgs []string
}

// defaultRuntimeOptions matches what `runtime: nodejs` without options means to Pulumi.
func defaultRuntimeOptions() runtimeOptions {
	return runtimeOptions{typescript: true}
}

// parseRuntimeOptions reads the options the engine forwards from Pulumi.yaml. Unknown
// options (packagemanager, production, ...) are accepted and ignored: this host only
// runs programs whose dependencies are already installed.
func parseRuntimeOptions(options *structpb.Struct) (runtimeOptions, error) {
	parsed := defaultRuntimeOptions()
	if options == nil {
		return parsed, nil
	}
	fields := options.GetFields()
	if value, ok := fields["typescript"]; ok {
		typescript, err := boolOption("typescript", value)
		if err != nil {
			return parsed, err
		}
		parsed.typescript = typescript
	}
	if value, ok := fields["tsconfig"]; ok {
		tsconfig, isString := value.GetKind().(*structpb.Value_StringValue)
		if !isString {
			return parsed, fmt.Errorf("runtime option 'tsconfig' must be a string path, got %s", describeKind(value))
		}
		parsed.tsconfig = tsconfig.StringValue
	}
	if value, ok := fields["nodeargs"]; ok {
		nodeArgs, isString := value.GetKind().(*structpb.Value_StringValue)
		if !isString {
			return parsed, fmt.Errorf("runtime option 'nodeargs' must be a string, got %s", describeKind(value))
		}
		parsed.nodeArgs = strings.Fields(nodeArgs.StringValue)
	}
	return parsed, nil
}

// boolOption accepts a YAML boolean or the strings "true"/"false", since options set
// through `pulumi config`-style tooling sometimes arrive as strings.
func boolOption(name string, value *structpb.Value) (bool, error) {
	switch kind := value.GetKind().(type) {
	case *structpb.Value_BoolValue:
		return kind.BoolValue, nil
	case *structpb.Value_StringValue:
		switch kind.StringValue {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("runtime option '%s' must be true or false, got %s", name, describeKind(value))
}

func describeKind(value *structpb.Value) string {
	switch kind := value.GetKind().(type) {
	case *structpb.Value_StringValue:
		return fmt.Sprintf("the string %q", kind.StringValue)
	case *structpb.Value_NumberValue:
		return fmt.Sprintf("the number %v", kind.NumberValue)
	case *structpb.Value_BoolValue:
		return fmt.Sprintf("the boolean %v", kind.BoolValue)
	case *structpb.Value_ListValue:
		return "a list"
	case *structpb.Value_StructValue:
		return "a map"
	default:
		return "null"
	}
}

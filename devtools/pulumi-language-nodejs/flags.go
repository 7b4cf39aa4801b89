package main

import "strings"

// commandLine is what the engine tells a language plugin on its command line.
type commandLine struct {
	// engineAddress is the last positional argument; the engine always puts it last.
	engineAddress string
	// tracing is the Zipkin-compatible endpoint the engine traces to, if any.
	tracing string
	// root is the project root some engine versions pass as a flag.
	root string
}

// flagsTakingValue lists the flags whose value may follow as a separate argument
// ("--tracing URL"). Every other flag is treated as boolean so that an unknown
// flag never swallows the engine address that follows it.
var flagsTakingValue = map[string]bool{
	"tracing":        true,
	"root":           true,
	"v":              true,
	"tsconfig":       true,
	"nodeargs":       true,
	"packagemanager": true,
}

// parseCommandLine reads the plugin arguments tolerantly: the engine adds flags
// (-v=N, --logtostderr, --tracing URL, -root=DIR) that vary by CLI version, and a
// language host that rejected unknown flags would break on the next release.
func parseCommandLine(args []string) commandLine {
	var parsed commandLine
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			positional = append(positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue && flagsTakingValue[name] && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "tracing":
			parsed.tracing = value
		case "root":
			parsed.root = value
		}
	}
	if len(positional) > 0 {
		parsed.engineAddress = positional[len(positional)-1]
	}
	return parsed
}

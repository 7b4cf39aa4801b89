package main

import (
	"reflect"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
)

func mustStruct(t *testing.T, fields map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(fields)
	if err != nil {
		t.Fatalf("building options: %v", err)
	}
	return s
}

func TestParseRuntimeOptions(t *testing.T) {
	cases := []struct {
		name    string
		options map[string]any
		want    runtimeOptions
	}{
		{"no options means TypeScript on", nil, runtimeOptions{typescript: true}},
		{"typescript false", map[string]any{"typescript": false}, runtimeOptions{typescript: false}},
		{"typescript as string", map[string]any{"typescript": "false"}, runtimeOptions{typescript: false}},
		{
			"tsconfig and nodeargs",
			map[string]any{"tsconfig": "tsconfig.pulumi.json", "nodeargs": "--max-old-space-size=4096  --trace-warnings"},
			runtimeOptions{
				typescript: true,
				tsconfig:   "tsconfig.pulumi.json",
				nodeArgs:   []string{"--max-old-space-size=4096", "--trace-warnings"},
			},
		},
		{"unknown options are ignored", map[string]any{"packagemanager": "npm"}, runtimeOptions{typescript: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var options *structpb.Struct
			if tc.options != nil {
				options = mustStruct(t, tc.options)
			}
			got, err := parseRuntimeOptions(options)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseRuntimeOptionsRejectsWrongTypes(t *testing.T) {
	cases := []struct {
		options map[string]any
		want    string
	}{
		{map[string]any{"typescript": "yes"}, `runtime option 'typescript' must be true or false, got the string "yes"`},
		{map[string]any{"typescript": 1.0}, `runtime option 'typescript' must be true or false, got the number 1`},
		{map[string]any{"tsconfig": true}, `runtime option 'tsconfig' must be a string path, got the boolean true`},
		{map[string]any{"nodeargs": []any{"--x"}}, `runtime option 'nodeargs' must be a string, got a list`},
	}
	for _, tc := range cases {
		_, err := parseRuntimeOptions(mustStruct(t, tc.options))
		if err == nil || err.Error() != tc.want {
			t.Errorf("options %v: got error %v, want %q", tc.options, err, tc.want)
		}
	}
}

package main

import "testing"

func TestParseCommandLineTakesTheLastPositionalAsEngineAddress(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want commandLine
	}{
		{"address only", []string{"127.0.0.1:4000"}, commandLine{engineAddress: "127.0.0.1:4000"}},
		{
			"engine logging and tracing flags",
			[]string{"--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:9411", "127.0.0.1:4000"},
			commandLine{engineAddress: "127.0.0.1:4000", tracing: "http://127.0.0.1:9411"},
		},
		{
			"root flag with equals",
			[]string{"-root=/srv/project", "127.0.0.1:4000"},
			commandLine{engineAddress: "127.0.0.1:4000", root: "/srv/project"},
		},
		{
			"unknown boolean flag does not swallow the address",
			[]string{"--some-future-flag", "127.0.0.1:4000"},
			commandLine{engineAddress: "127.0.0.1:4000"},
		},
		{
			"unknown flag with value is ignored",
			[]string{"--color=always", "127.0.0.1:4000"},
			commandLine{engineAddress: "127.0.0.1:4000"},
		},
		{"no arguments", nil, commandLine{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseCommandLine(tc.args); got != tc.want {
				t.Fatalf("parseCommandLine(%q) = %+v, want %+v", tc.args, got, tc.want)
			}
		})
	}
}

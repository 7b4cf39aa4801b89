# The two commands a newcomer needs; each installs what it needs first.
.PHONY: demo test setup build clean sdks

setup:
	@bash scripts/setup.sh

build:
	@npx tsc -p tsconfig.json

# The quickstart stack applied by the real pulumi CLI against the local GitLab emulator.
demo: setup
	@node dist/scripts/demo.js

# The whole test suite: the Go language host's tests, then jest: unit, emulator, provider,
# dynamic host and end to end with the real CLI.
test: setup
	@cd scripts/language-host && GOFLAGS=-mod=mod go test -count=1 ./...
	@PULUMI_BIN_DIR="$$(bash scripts/setup-pulumi.sh 2>/dev/null)" npx jest

# Regenerates sdk/python and sdk/go from the provider plugin's schema (SCHEMA=file.json: from that file).
sdks: build
	@mkdir -p .tmp
	@schema="$(or $(SCHEMA),.tmp/schema.json)"; \
	  [ -n "$(SCHEMA)" ] || node dist/provider/plugin/print-schema.js > "$$schema"; \
	  bash scripts/generate-sdks.sh "$$schema" sdk

clean:
	rm -rf dist .tmp

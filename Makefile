# The two commands a newcomer needs; each installs what it needs first.
.PHONY: demo test setup build clean sdks dist version

STAND_IN_HOST := devtools/pulumi-language-nodejs

setup:
	@bash scripts/setup.sh

build:
	@npx tsc -b tsconfig.json

# The quickstart stack applied by the real pulumi CLI against the local GitLab emulator.
demo: setup
	@node dist/scripts/demo.js

# The whole test suite through jest: unit, emulator, provider, dynamic host, package, and end to end
# with the real CLI. Our stand-in Node.js language host is tested (its Go tests, then its end-to-end
# suite) only when it is the host this CLI runs; a usual Pulumi installation brings its own, and
# then neither Go nor the stand-in's suites are needed.
test: setup
	@bin_dir="$$(bash scripts/setup-pulumi.sh 2>/dev/null)"; \
	if bash $(STAND_IN_HOST)/in-use.sh "$$bin_dir"; then \
	  (cd $(STAND_IN_HOST) && GOFLAGS=-mod=mod go test -count=1 ./...) || exit 1; \
	  PULUMI_BIN_DIR="$$bin_dir" npx jest; \
	else \
	  echo "[test] $$bin_dir has its own pulumi-language-nodejs: the stand-in's tests are left out" >&2; \
	  PULUMI_BIN_DIR="$$bin_dir" npx jest --testPathIgnorePatterns '/tests/e2e/language-host\.test\.ts$$'; \
	fi

# Regenerates sdk/python, sdk/go and sdk/nodejs/plugin from the provider plugin's schema (SCHEMA=file.json: from that file),
# and the dynamic RemoteMirror's field declarations (sdk/nodejs/remote-mirror-fields.ts) from the field table.
sdks: build
	@mkdir -p .tmp
	@schema="$(or $(SCHEMA),.tmp/schema.json)"; \
	  [ -n "$(SCHEMA)" ] || node dist/provider/plugin/print-schema.js > "$$schema"; \
	  bash scripts/generate-sdks.sh "$$schema" sdk
	@node dist/tools/dynamic-sdk/main.js

# Every release artifact of VERSION into release/VERSION/ (scripts/dist.sh says what they are).
dist:
	@[ -n "$(VERSION)" ] || { echo "usage: make dist VERSION=<semver>" >&2; exit 2; }
	@bash scripts/dist.sh "$(VERSION)"

# Writes VERSION into package.json (the one place the sources hold it) and regenerates the SDKs: the
# release commit. `make dist` does the same in a copy, without changing the checkout.
version: build
	@[ -n "$(VERSION)" ] || { echo "usage: make version VERSION=<semver>" >&2; exit 2; }
	@node dist/scripts/release/set-version.js . "$(VERSION)"
	@$(MAKE) --no-print-directory sdks

clean:
	rm -rf dist .tmp release

package main

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// packageJSONVersion is how the generated utilities.ts reads the SDK's version: from a package.json
// beside it, which the generator writes for a package of its own. Our Node.js SDK is a directory of
// the gitlab-mirrors package, compiled to dist/sdk/nodejs/plugin where no package.json lies.
const packageJSONVersion = "require('./package.json').version"

// isInstance is the static every generated resource class declares; @pulumi/pulumi's base classes
// declare it too, so under the package's `noImplicitOverride` it must say `override`.
const (
	isInstance         = "public static isInstance("
	isInstanceOverride = "public static override isInstance("
)

// generateNodejs writes the TypeScript sources of the Node.js SDK into dir. The generator's package
// metadata (package.json, tsconfig.json, README.md) is left out: the gitlab-mirrors package compiles
// these sources with its own. The version the resources ask the engine for is the schema's, written
// into utilities.ts; the download URL the generator already writes there from the schema. Resource
// classes get `override` on isInstance, for the package's compiler settings.
func generateNodejs(spec schema.PackageSpec, dir string) error {
	pkg, err := bind(spec)
	if err != nil {
		return err
	}
	files, err := nodejs.GeneratePackage(toolName, pkg, nil, nil, false, selfContained{})
	if err != nil {
		return err
	}
	sources := map[string][]byte{}
	for name, contents := range files {
		if path.Ext(name) == ".ts" && !strings.HasPrefix(name, "scripts/") {
			sources[name] = []byte(strings.ReplaceAll(string(contents), isInstance, isInstanceOverride))
		}
	}
	utilities, ok := sources["utilities.ts"]
	if !ok {
		return fmt.Errorf("the generator wrote no utilities.ts")
	}
	if !strings.Contains(string(utilities), packageJSONVersion) {
		return fmt.Errorf("utilities.ts no longer reads %s: update sdkgen for this generator", packageJSONVersion)
	}
	sources["utilities.ts"] = []byte(strings.Replace(string(utilities), packageJSONVersion, strconv.Quote(spec.Version), 1))
	return writeTree(dir, sources)
}

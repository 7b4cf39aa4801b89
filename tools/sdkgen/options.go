package main

import (
	"encoding/json"
	"fmt"
	"path"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// sdkLayout is what the generator itself needs from the schema's `language` section, which the
// provider plugin declares (provider/plugin/schema.ts) and the code generators read as well.
type sdkLayout struct {
	// pythonPackage is the Python package's name: sdk/python/<pythonPackage>.
	pythonPackage string
	// goModule is the Go SDK's module path, written to sdk/go/go.mod: the parent of the import
	// path of its package (sdk/go/<package>).
	goModule string
}

func layoutOf(spec schema.PackageSpec) (sdkLayout, error) {
	var python struct {
		PackageName string `json:"packageName"`
	}
	var golang struct {
		ImportBasePath string `json:"importBasePath"`
	}
	if err := languageOption(spec, "python", &python); err != nil {
		return sdkLayout{}, err
	}
	if err := languageOption(spec, "go", &golang); err != nil {
		return sdkLayout{}, err
	}
	if python.PackageName == "" {
		return sdkLayout{}, fmt.Errorf("the schema sets no language.python.packageName")
	}
	if golang.ImportBasePath == "" {
		return sdkLayout{}, fmt.Errorf("the schema sets no language.go.importBasePath")
	}
	return sdkLayout{pythonPackage: python.PackageName, goModule: path.Dir(golang.ImportBasePath)}, nil
}

func languageOption(spec schema.PackageSpec, language string, into any) error {
	raw, ok := spec.Language[language]
	if !ok {
		return fmt.Errorf("the schema has no language.%s section", language)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("the schema's language.%s is not an object: %w", language, err)
	}
	return nil
}

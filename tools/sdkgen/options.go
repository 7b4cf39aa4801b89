package main

import (
	"encoding/json"
	"fmt"
	"path"
	"reflect"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// languageOptions are the code generators' settings for our SDKs, declared here once. They are
// merged into the schema's `language` section; a schema that already sets one of them to a
// different value is refused, so the plugin's schema and the committed SDKs cannot disagree.
var languageOptions = map[string]map[string]any{
	"python": {
		"packageName": "pulumi_gitlab_mirrors",
		// The package's version is the schema's (package.json's), not the generator's 0.0.0.
		"respectSchemaVersion": true,
	},
	"go": {
		// The Go SDK's module is the parent of this path: sdk/go holds go.mod, the package
		// sits in sdk/go/gitlabmirrors.
		"importBasePath":       "github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors",
		"respectSchemaVersion": true,
		// RemoteMirrorArray, RemoteMirrorMap and their outputs, as pulumi-gitlab's SDK has.
		"generateResourceContainerTypes": true,
	},
}

// goModulePath is the module path written to sdk/go/go.mod.
func goModulePath() string {
	return path.Dir(languageOptions["go"]["importBasePath"].(string))
}

func applyLanguageOptions(spec *schema.PackageSpec) error {
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	for language, options := range languageOptions {
		merged := map[string]any{}
		if raw, ok := spec.Language[language]; ok {
			if err := json.Unmarshal(raw, &merged); err != nil {
				return fmt.Errorf("the schema's language.%s is not an object: %w", language, err)
			}
		}
		for key, ours := range options {
			if theirs, ok := merged[key]; ok && !sameJSON(theirs, ours) {
				return fmt.Errorf("the schema sets language.%s.%s to %v but the SDK generator expects %v: change one of them (tools/sdkgen/options.go)",
					language, key, theirs, ours)
			}
			merged[key] = ours
		}
		raw, err := json.Marshal(merged)
		if err != nil {
			return err
		}
		spec.Language[language] = raw
	}
	return nil
}

// sameJSON compares a decoded JSON value with a Go value as JSON would encode it.
func sameJSON(decoded, value any) bool {
	raw, err := json.Marshal(value)
	if err != nil {
		return false
	}
	var normalised any
	if err := json.Unmarshal(raw, &normalised); err != nil {
		return false
	}
	return reflect.DeepEqual(decoded, normalised)
}

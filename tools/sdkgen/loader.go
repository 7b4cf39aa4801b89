package main

import (
	"context"
	"fmt"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// selfContained is the schema loader for a package that depends on no other package: the
// gitlab-mirrors schema references only its own types. Asked for any package, it says so instead
// of starting plugins to find one.
type selfContained struct{}

func (selfContained) refuse(name string) error {
	return fmt.Errorf("the schema references package %q: the SDK generator only handles self-contained schemas", name)
}

func (l selfContained) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l selfContained) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l selfContained) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l selfContained) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

// Command gensdk writes a Node.js or Go SDK for a Pulumi package schema with the CLI's own code generators.
//
// It stands in for `pulumi package gen-sdk`, which asks the language host to generate (GeneratePackage), and the
// only Node.js and Go hosts the Go module proxy serves (inside sdk/v3 up to v3.68.0 and v3.66.0) predate that RPC.
//
//	gensdk nodejs|go <schema.json> <output directory>
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noPackages loads no package: the schema refers to none but Pulumi's own types.
type noPackages struct{}

var errNoPackages = errors.New("gensdk: the schema may not refer to other packages")

func (noPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errNoPackages
}

func main() {
	if len(os.Args) != 4 {
		fail(errors.New("usage: gensdk nodejs|go <schema.json> <output directory>"))
	}
	language, schemaPath, out := os.Args[1], os.Args[2], os.Args[3]
	data, err := os.ReadFile(schemaPath)
	fail(err)
	var spec schema.PackageSpec
	fail(json.Unmarshal(data, &spec))
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	fail(err)
	if diags.HasErrors() {
		fail(diags)
	}
	var files map[string][]byte
	switch language {
	case "nodejs":
		files, err = nodejs.GeneratePackage("gensdk", pkg, nil, nil, false, noPackages{})
	case "go":
		files, err = gogen.GeneratePackage("gensdk", pkg, nil)
	default:
		err = fmt.Errorf("gensdk: no generator for %q (nodejs or go)", language)
	}
	fail(err)
	for name, content := range files {
		path := filepath.Join(out, name)
		fail(os.MkdirAll(filepath.Dir(path), 0o755))
		fail(os.WriteFile(path, content, 0o644))
	}
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

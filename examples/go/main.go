// The quickstart in Go, for `pulumi up` in this directory: see quickstart/quickstart.go.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gitlab-mirrors/gitlab-mirrors/examples/go/quickstart"
)

func main() {
	pulumi.Run(quickstart.Program)
}

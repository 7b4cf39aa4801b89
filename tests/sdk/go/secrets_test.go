// What the generated Go SDK sends to the engine when a RemoteMirror is registered, seen by
// Pulumi's mock monitor: the URL only as a secret, and the outputs the engine must keep secret.
package sdktest

import (
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors"
)

// The wire form of a secret value (sdk/go/common/resource/sig).
const (
	sigKey    = "4dabf18193072939515e22adb298388d"
	secretSig = "1b47061264138c4ac30d75fd1eb44270"
)

type recordingMocks struct {
	mu       sync.Mutex
	requests map[string]*pulumirpc.RegisterResourceRequest
}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[args.TypeToken] = args.RegisterRPC
	return args.Name + "-id", args.Inputs, nil
}

func (m *recordingMocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func TestRemoteMirrorSendsTheURLAsASecretAndAsksForSecretOutputs(t *testing.T) {
	mocks := &recordingMocks{requests: map[string]*pulumirpc.RegisterResourceRequest{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := gitlabmirrors.NewRemoteMirror(ctx, "app-backup", &gitlabmirrors.RemoteMirrorArgs{
			Project: pulumi.String("demo/app"),
			// A plain string: the SDK itself must make it secret.
			Url: pulumi.String("https://bot:not-a-real-password@example.com/app.git"),
		})
		return err
	}, pulumi.WithMocks("project", "stack", mocks))
	if err != nil {
		t.Fatalf("registering a RemoteMirror failed: %v", err)
	}

	request := mocks.requests["gitlab-mirrors:index:RemoteMirror"]
	if request == nil {
		t.Fatal("no gitlab-mirrors:index:RemoteMirror was registered")
	}
	secretOutputs := append([]string(nil), request.GetAdditionalSecretOutputs()...)
	sort.Strings(secretOutputs)
	if got, want := secretOutputs, []string{"publicKey", "url"}; !slices.Equal(got, want) {
		t.Errorf("additionalSecretOutputs = %v, want %v", got, want)
	}
	url := request.GetObject().GetFields()["url"].GetStructValue()
	if url == nil || url.GetFields()[sigKey].GetStringValue() != secretSig {
		t.Errorf("the url input reached the engine as %v, not as a secret", request.GetObject().GetFields()["url"])
	}
}

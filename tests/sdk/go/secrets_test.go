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
	"google.golang.org/protobuf/types/known/structpb"

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

// register declares an explicit provider and a mirror that uses it, from plain strings: the SDK
// itself must make the token and the URL secret.
func register(t *testing.T) *recordingMocks {
	t.Helper()
	mocks := &recordingMocks{requests: map[string]*pulumirpc.RegisterResourceRequest{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		provider, err := gitlabmirrors.NewProvider(ctx, "second-gitlab", &gitlabmirrors.ProviderArgs{
			BaseUrl: pulumi.String("https://gitlab.example.com"),
			Token:   pulumi.String("glpat-not-a-real-token"),
		})
		if err != nil {
			return err
		}
		_, err = gitlabmirrors.NewRemoteMirror(ctx, "app-backup", &gitlabmirrors.RemoteMirrorArgs{
			Project: pulumi.String("demo/app"),
			Url:     pulumi.String("https://bot:not-a-real-password@example.com/app.git"),
		}, pulumi.Provider(provider))
		return err
	}, pulumi.WithMocks("project", "stack", mocks))
	if err != nil {
		t.Fatalf("registering a provider and a RemoteMirror failed: %v", err)
	}
	return mocks
}

func isSecret(value *structpb.Value) bool {
	return value.GetStructValue().GetFields()[sigKey].GetStringValue() == secretSig
}

func TestAnExplicitProviderSendsItsTokenAsASecret(t *testing.T) {
	request := register(t).requests["pulumi:providers:gitlab-mirrors"]
	if request == nil {
		t.Fatal("no pulumi:providers:gitlab-mirrors was registered")
	}
	fields := request.GetObject().GetFields()
	if got := fields["baseUrl"].GetStringValue(); got != "https://gitlab.example.com" {
		t.Errorf("baseUrl = %q, want https://gitlab.example.com", got)
	}
	if !isSecret(fields["token"]) {
		t.Errorf("the token reached the engine as %v, not as a secret", fields["token"])
	}
}

func TestRemoteMirrorSendsTheURLAsASecretAndAsksForSecretOutputs(t *testing.T) {
	mocks := register(t)

	request := mocks.requests["gitlab-mirrors:index:RemoteMirror"]
	if request == nil {
		t.Fatal("no gitlab-mirrors:index:RemoteMirror was registered")
	}
	secretOutputs := append([]string(nil), request.GetAdditionalSecretOutputs()...)
	sort.Strings(secretOutputs)
	if got, want := secretOutputs, []string{"publicKey"}; !slices.Equal(got, want) {
		t.Errorf("additionalSecretOutputs = %v, want %v", got, want)
	}
	if !isSecret(request.GetObject().GetFields()["url"]) {
		t.Errorf("the url input reached the engine as %v, not as a secret", request.GetObject().GetFields()["url"])
	}
}

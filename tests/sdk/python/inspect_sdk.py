"""Reports, as one JSON line, what a user of the installed Python SDK sees: its public names, the
docstrings of RemoteMirrorArgs and RemoteMirror, and what RemoteMirror sends to the engine when
registered (under Pulumi's mocks, with the monitor's requests recorded). Used by
tests/sdk/python-sdk.test.ts; the SDK comes from PYTHONPATH."""
import inspect
import json

import pulumi
from pulumi.runtime import mocks, rpc

import pulumi_gitlab_mirrors as sdk

# Secrets the registrations are made with: their values must reach the engine only as secrets.
URL = "https://bot:not-a-real-password@example.com/app.git"
TOKEN = "glpat-not-a-real-token"


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args):
        return {}


requests = []
register = mocks.MockMonitor.RegisterResource


def recording_register(self, request):
    requests.append(request)
    return register(self, request)


mocks.MockMonitor.RegisterResource = recording_register
pulumi.runtime.set_mocks(Mocks(), preview=False)


@pulumi.runtime.test
def create_mirror():
    provider = sdk.Provider("second-gitlab", base_url="https://gitlab.example.com", token=TOKEN)
    mirror = sdk.RemoteMirror("app-backup", project="demo/app", url=URL, opts=pulumi.ResourceOptions(provider=provider))
    return mirror.urn


def is_secret(value) -> bool:
    return (value.WhichOneof("kind") == "struct_value"
            and value.struct_value.fields[rpc._special_sig_key].string_value == rpc._special_secret_sig)


create_mirror()
registration = next(r for r in requests if r.type == "gitlab-mirrors:index:RemoteMirror")
provider_registration = next(r for r in requests if r.type == "pulumi:providers:gitlab-mirrors")

print(json.dumps({
    "names": sorted(name for name in ("RemoteMirror", "RemoteMirrorArgs", "Provider", "ProviderArgs",
                                      "get_remote_mirrors", "get_remote_mirrors_output") if hasattr(sdk, name)),
    "argsDoc": inspect.getdoc(sdk.RemoteMirrorArgs.__init__),
    "resourceDoc": inspect.getdoc(sdk.RemoteMirror._internal_init) or "",
    "propertyDocs": {
        name: inspect.getdoc(getattr(sdk.RemoteMirror, name))
        for name, member in inspect.getmembers(sdk.RemoteMirror)
        if isinstance(member, property)
    },
    "registration": {
        "additionalSecretOutputs": sorted(registration.additionalSecretOutputs),
        "urlIsSecret": is_secret(registration.object.fields["url"]),
    },
    "providerRegistration": {
        "baseUrl": provider_registration.object.fields["baseUrl"].string_value,
        "tokenIsSecret": is_secret(provider_registration.object.fields["token"]),
    },
}))

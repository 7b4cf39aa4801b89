import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const TOKEN = "glpat-sdk-test-token-never-captured";
const URL_WITH_PASSWORD = "https://bot:sdk-secret-pw@git.example.com/backup/app.git";
const registered: Registered[] = [];

beforeAll(async () => {
  process.env.GITLAB_TOKEN = TOKEN;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: "1:7", state: { ...args.inputs, mirrorId: 7, projectId: 1, maskedUrl: "https://*****:*****@git.example.com/backup/app.git" } };
      },
      call: () => ({}),
    },
    "sdk-test",
    "dev",
    false,
  );
});

afterAll(() => {
  delete process.env.GITLAB_TOKEN;
});

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("RemoteMirror (SDK class)", () => {
  it("registers pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror with a small __provider and a secret url", async () => {
    const { RemoteMirror } = await import("../../sdk/nodejs");
    const mirror = new RemoteMirror("backup", { project: "demo/app", url: URL_WITH_PASSWORD, syncOnApply: true });

    expect(await value(mirror.mirrorId)).toBe(7);
    expect(await value(mirror.maskedUrl)).toBe("https://*****:*****@git.example.com/backup/app.git");
    expect(await value(mirror.id)).toBe("1:7");
    expect(await pulumi.isSecret(mirror.url)).toBe(true);

    expect(registered).toHaveLength(1);
    const [resource] = registered;
    expect(resource.type).toBe("pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror");
    expect(resource.inputs).toMatchObject({ project: "demo/app", syncOnApply: true });
    // The url reaches the engine wrapped as a secret (Pulumi's secret signature).
    expect(resource.inputs.url).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: URL_WITH_PASSWORD });
    const providerText = resource.inputs.__provider as string;
    expect(typeof providerText).toBe("string");
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).not.toContain(TOKEN);
    expect(providerText).not.toContain("sdk-secret-pw");
  });

  it("declares every output, so each is an Output even before the engine answers", async () => {
    const { RemoteMirror } = await import("../../sdk/nodejs");
    const mirror = new RemoteMirror("outputs", { project: 1, url: "ssh://git@git.example.com/app.git" });
    for (const key of [
      "project", "url", "enabled", "authMethod", "onlyProtectedBranches", "keepDivergentRefs", "mirrorBranchRegex", "hostKeys",
      "syncOnApply", "waitForSync", "syncTimeoutSeconds", "syncTrigger", "adopt", "mirrorId", "projectId", "maskedUrl",
      "updateStatus", "lastError", "lastUpdateAt", "lastUpdateStartedAt", "lastSuccessfulUpdateAt", "publicKey", "hostKeyFingerprints",
    ] as const) {
      expect(pulumi.Output.isInstance(mirror[key])).toBe(true);
    }
  });
});

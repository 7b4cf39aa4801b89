import * as handlers from "../../provider/dynamic/handlers";
import { ENGINE_UNKNOWN } from "../../provider/engine-unknowns";

const GOOD = { project: "demo/app", url: "https://bot:pw@git.example.com/app.git" };
const config = (values: Record<string, string>) => ({ config: { get: (key: string) => values[key] } });

describe("dynamic handlers: connection settings", () => {
  const saved = { base: process.env.GITLAB_BASE_URL, token: process.env.GITLAB_TOKEN };

  afterEach(async () => {
    await handlers.configure(config({}));
    for (const [key, value] of [["GITLAB_BASE_URL", saved.base], ["GITLAB_TOKEN", saved.token]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("check fails on gitlab:baseUrl and gitlab:token when neither config nor environment sets them", async () => {
    delete process.env.GITLAB_BASE_URL;
    delete process.env.GITLAB_TOKEN;
    await handlers.configure(config({}));
    const result = await handlers.check({}, GOOD);
    // Named in the reason, not as a property: the engine would print the (absent) value next to it.
    expect(result.failures).toEqual([
      { property: "", reason: "gitlab:baseUrl is not set; run `pulumi config set gitlab:baseUrl https://gitlab.example.com` or set GITLAB_BASE_URL" },
      { property: "", reason: "gitlab:token is not set; run `pulumi config set --secret gitlab:token <token>` or set GITLAB_TOKEN" },
    ]);
    expect(result.inputs).toBe(GOOD);
  });

  it("falls back to GITLAB_BASE_URL and GITLAB_TOKEN, read at call time", async () => {
    await handlers.configure(config({}));
    process.env.GITLAB_BASE_URL = "https://gitlab.example.com";
    process.env.GITLAB_TOKEN = "glpat-from-env";
    expect((await handlers.check({}, GOOD)).failures).toEqual([]);
  });

  it("reports a malformed base URL from the stack config under gitlab:baseUrl", async () => {
    await handlers.configure(config({ "gitlab:baseUrl": "ftp://gitlab.example.com", "gitlab:token": "t" }));
    expect((await handlers.check({}, GOOD)).failures).toEqual([
      { property: "", reason: "gitlab:baseUrl uses scheme ftp, which is not supported; use https:// (or http:// for a local GitLab)" },
    ]);
  });

  it("create without any connection settings fails with GLM_ERR_CONFIG naming the key and variable", async () => {
    delete process.env.GITLAB_BASE_URL;
    delete process.env.GITLAB_TOKEN;
    await expect(handlers.create(GOOD)).rejects.toMatchObject({
      code: "GLM_ERR_CONFIG",
      message:
        "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): is not set; run `pulumi config set gitlab:baseUrl https://gitlab.example.com`",
    });
  });

  it("diff passes through changes, replaces and deleteBeforeReplace only", async () => {
    const olds = { ...GOOD, projectId: 1, mirrorId: 7 };
    expect(await handlers.diff("1:7", olds, { ...GOOD, url: "https://bot:pw2@git.example.com/app.git" })).toEqual({
      changes: true,
      replaces: ["url"],
      deleteBeforeReplace: true,
    });
  });
});

describe("dynamic handlers: the preview's unknown values", () => {
  beforeEach(() => handlers.configure(config({ "gitlab:baseUrl": "https://gitlab.example.com", "gitlab:token": "glpat-x" })));
  afterEach(() => handlers.configure(config({})));

  it("check passes the engine's unknowns to the core as its marker and returns them as the engine's", async () => {
    const result = await handlers.check({}, { ...GOOD, url: ENGINE_UNKNOWN, enabled: ENGINE_UNKNOWN, hostKeys: [ENGINE_UNKNOWN], syncTrigger: ENGINE_UNKNOWN });
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({ url: ENGINE_UNKNOWN, enabled: ENGINE_UNKNOWN, hostKeys: [ENGINE_UNKNOWN], syncTrigger: ENGINE_UNKNOWN });
    // No core marker (a symbol, which JSON drops silently) is left anywhere in what the engine gets.
    expect(JSON.stringify(result.inputs)).toBe(JSON.stringify(result.inputs, (_key, value) => (typeof value === "symbol" ? "a symbol" : value)));
  });

  it("diff counts an unknown input as a change, and an unknown URL as a replacement", async () => {
    const recorded = { ...GOOD, projectId: 1, enabled: true };
    expect(await handlers.diff("1:2", recorded, { ...GOOD, enabled: ENGINE_UNKNOWN })).toMatchObject({ changes: true, replaces: [] });
    expect(await handlers.diff("1:2", recorded, { ...GOOD, url: ENGINE_UNKNOWN })).toMatchObject({ changes: true, replaces: ["url"], deleteBeforeReplace: true });
    expect(await handlers.diff("1:2", recorded, GOOD)).toMatchObject({ changes: false });
  });
});

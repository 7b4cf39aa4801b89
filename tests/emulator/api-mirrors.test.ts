import { titledByFirstCell } from "../support/titles";
/** The seven remote-mirror endpoints: success and error cases with GitLab's exact bodies. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { apiClient, call, startTestEmulator, tempDir } from "./helpers";
import { PERMISSIONS_SEED, TOKENS } from "./seeds";

let emulator: RunningEmulator;
const api = apiClient(() => emulator);
const root = { token: TOKENS.root };
let keyDir: string;
let hostKey: { line: string; fingerprint: string };
let otherHostKey: { line: string; fingerprint: string };

function makeHostKey(name: string): { line: string; fingerprint: string } {
  const file = path.join(keyDir, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", file]);
  const line = fs.readFileSync(`${file}.pub`, "utf8").trim();
  const fingerprint = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`]).toString().split(" ")[1];
  return { line, fingerprint };
}

let counter = 0;
function uniqueUrl(prefix = "https://mirror.example.com"): string {
  counter += 1;
  return `${prefix}/repo-${counter}.git`;
}

async function create(json: Record<string, unknown>, projectId: number | string = 1) {
  return api("POST", `/projects/${projectId}/remote_mirrors`, { ...root, json });
}

beforeAll(async () => {
  keyDir = tempDir("keys");
  hostKey = makeHostKey("host1");
  otherHostKey = makeHostKey("host2");
  emulator = await startTestEmulator({ seed: PERMISSIONS_SEED });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

describe("POST /projects/:id/remote_mirrors", () => {
  it("creates a mirror with GitLab's defaults, keys in GitLab's order, no push", async () => {
    const res = await create({ url: "https://mirror.example.com/first.git" });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual([
      "id", "enabled", "url", "update_status", "last_update_at", "last_update_started_at", "last_successful_update_at",
      "last_error", "only_protected_branches", "keep_divergent_refs", "auth_method", "host_keys", "mirror_branch_regex",
    ]);
    expect(res.body).toEqual({
      id: expect.any(Number),
      enabled: false,
      url: "https://mirror.example.com/first.git",
      update_status: "none",
      last_update_at: null,
      last_update_started_at: null,
      last_successful_update_at: null,
      last_error: null,
      only_protected_branches: false,
      keep_divergent_refs: null,
      auth_method: "password",
      host_keys: [],
      mirror_branch_regex: null,
    });
  });

  it("works with a URL-encoded project path", async () => {
    const res = await create({ url: uniqueUrl() }, "demo%2Fapp");
    expect(res.status).toBe(201);
  });

  it("answers 400 url is missing without a url key", async () => {
    const res = await create({ enabled: true });
    expect([res.status, res.body]).toEqual([400, { error: "url is missing" }]);
  });

  it("reports every Grape parameter error at once", async () => {
    const res = await create({ enabled: "maybe", keep_divergent_refs: "sometimes" });
    expect([res.status, res.body]).toEqual([400, { error: "url is missing, enabled is invalid, keep_divergent_refs is invalid" }]);
  });

  it("answers a model error for an empty url", async () => {
    const res = await create({ url: "" });
    expect([res.status, res.body]).toEqual([400, { message: { url: ["can't be blank"] } }]);
  });

  it.each(titledByFirstCell([
    ["ftp://mirror.example.com/x.git", "Only allowed schemes are http, https, ssh, git"],
    ["HTTPS://mirror.example.com/x.git", "Only allowed schemes are http, https, ssh, git"],
    ["git@mirror.example.com:group/x.git", "URI is invalid"],
    ["https://-user:secret@mirror.example.com/x.git", "Username needs to start with an alphanumeric character"],
    ["https://mirror.example.com/x.git\nhttps://other", "URI is invalid"],
  ]))("blocks %s", async (_title, url, reason) => {
    const res = await create({ url });
    expect([res.status, res.body]).toEqual([400, { message: { url: [`is blocked: ${reason}`] } }]);
  });

  it.each(titledByFirstCell([
    ["https://user:s3cret-pass@mirror.example.com/a.git", "https://*****:*****@mirror.example.com/a.git"],
    ["https://git:s3cret-pass@mirror.example.com/b.git", "https://git:*****@mirror.example.com/b.git"],
    ["https://glpat-s3cret-token@mirror.example.com/c.git", "https://*****@mirror.example.com/c.git"],
    ["https://:s3cret-pass@mirror.example.com/d.git", "https://*****:*****@mirror.example.com/d.git"],
    ["ssh://git@mirror.example.com/e.git", "ssh://git@mirror.example.com/e.git"],
    ["ssh://deploy@mirror.example.com/f.git", "ssh://*****@mirror.example.com/f.git"],
    ["https://mirror.example.com/g.git", "https://mirror.example.com/g.git"],
  ]))("stores credentials apart and masks %s", async (_title, url, masked) => {
    const res = await create({ url });
    expect(res.status).toBe(201);
    expect(res.body.url).toBe(masked);
    expect(res.text).not.toContain("s3cret");
    const again = await api("GET", `/projects/1/remote_mirrors/${res.body.id}`, root);
    expect(again.body.url).toBe(masked);
    expect(again.text).not.toContain("s3cret");
  });

  it("coerces form booleans the way Grape does ('0', 'true', 'yes')", async () => {
    const res = await api("POST", "/projects/1/remote_mirrors", {
      ...root,
      form: { url: uniqueUrl(), enabled: "0", only_protected_branches: "true", keep_divergent_refs: "yes" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ enabled: false, only_protected_branches: true, keep_divergent_refs: true });
  });

  it("accepts multipart bodies", async () => {
    const form = new FormData();
    form.append("url", "https://mirror.example.com/multipart.git");
    form.append("enabled", "true");
    form.append("keep_divergent_refs", "f");
    const res = await fetch(`${emulator.apiUrl}/projects/1/remote_mirrors`, { method: "POST", headers: { "PRIVATE-TOKEN": TOKENS.root }, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ url: "https://mirror.example.com/multipart.git", enabled: true, keep_divergent_refs: false });
  });

  it("coerces JSON 1/0 and query-string booleans", async () => {
    const json = await create({ url: uniqueUrl(), enabled: 1, keep_divergent_refs: 0 });
    expect(json.body).toMatchObject({ enabled: true, keep_divergent_refs: false });
    const query = await api("POST", `/projects/1/remote_mirrors?url=${encodeURIComponent(uniqueUrl())}&enabled=on`, root);
    expect(query.status).toBe(201);
    expect(query.body.enabled).toBe(true);
  });

  it("answers can't be blank for a null only_protected_branches", async () => {
    const res = await create({ url: uniqueUrl(), only_protected_branches: null });
    expect([res.status, res.body]).toEqual([400, { message: { only_protected_branches: ["can't be blank"] } }]);
  });

  it.each([["ssh"], [""]])("rejects auth_method %j with Grape's values error", async (authMethod) => {
    const res = await create({ url: uniqueUrl(), auth_method: authMethod });
    expect([res.status, res.body]).toEqual([400, { error: "auth_method does not have a valid value" }]);
  });

  it("rejects only_protected_branches together with mirror_branch_regex, whatever their values", async () => {
    const res = await create({ url: uniqueUrl(), only_protected_branches: false, mirror_branch_regex: "^release" });
    expect([res.status, res.body]).toEqual([400, { error: "only_protected_branches, mirror_branch_regex are mutually exclusive" }]);
  });

  it("validates mirror_branch_regex length and RE2 syntax", async () => {
    const long = await create({ url: uniqueUrl(), mirror_branch_regex: "a".repeat(256) });
    expect([long.status, long.body]).toEqual([400, { message: { mirror_branch_regex: ["is too long (maximum is 255 characters)"] } }]);
    const ok = await create({ url: uniqueUrl(), mirror_branch_regex: "a".repeat(255) });
    expect(ok.status).toBe(201);
    const broken = await create({ url: uniqueUrl(), mirror_branch_regex: "(feature" });
    expect([broken.status, broken.body]).toEqual([400, { message: { mirror_branch_regex: ["not valid RE2 syntax: missing ): (feature"] } }]);
    const lookahead = await create({ url: uniqueUrl(), mirror_branch_regex: "main(?!x)" });
    expect(lookahead.body).toEqual({ message: { mirror_branch_regex: ["not valid RE2 syntax: invalid perl operator: (?!"] } });
  });

  it("accepts RE2 syntax that JavaScript lacks and refuses what RE2 refuses", async () => {
    for (const pattern of ["(?i)release", "\\Arelease\\z", "(?P<name>release)"]) {
      const res = await create({ url: uniqueUrl(), mirror_branch_regex: pattern });
      expect({ pattern, status: res.status, regex: res.body.mirror_branch_regex }).toEqual({ pattern, status: 201, regex: pattern });
    }
    const tooMany = await create({ url: uniqueUrl(), mirror_branch_regex: "a{1001}" });
    expect([tooMany.status, tooMany.body]).toEqual([400, { message: { mirror_branch_regex: ["not valid RE2 syntax: invalid repetition size: {1001}"] } }]);
  });

  it("rejects a duplicate credential-free URL in the same project but not in another", async () => {
    const url = "mirror.example.com/dup.git";
    expect((await create({ url: `https://a:b@${url}` })).status).toBe(201);
    const dup = await create({ url: `https://c:d@${url}` });
    expect([dup.status, dup.body]).toEqual([400, { message: { url: ["has already been taken"] } }]);
    expect((await create({ url: `https://a:b@${url}` }, 2)).status).toBe(201);
  });

  it("creates only one of two concurrent duplicates, even while a key is being generated", async () => {
    const json = { url: "ssh://git@mirror.example.com/concurrent.git", auth_method: "ssh_public_key" };
    const results = await Promise.all([create(json), create(json)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(results.find((r) => r.status === 400)!.body).toEqual({ message: { url: ["has already been taken"] } });
  });

  it("rejects mirroring a project to itself over HTTP and SSH", async () => {
    const base = new URL(emulator.baseUrl);
    for (const url of [
      `${emulator.baseUrl}/demo/app.git`,
      `${emulator.baseUrl}/demo/app`,
      `${emulator.baseUrl}/demo/app/`,
      `http://root:pw@${base.host}/demo/app.git`,
      `ssh://git@${base.hostname}/demo/app.git`,
      `ssh://git@${base.hostname}:2222/demo/app.git`,
    ]) {
      const res = await create({ url });
      expect({ url, status: res.status, body: res.body }).toEqual({ url, status: 400, body: { message: { base: ["You cannot mirror a repository to itself."] } } });
    }
    expect((await create({ url: `${emulator.baseUrl}/group/public-app.git` })).status).toBe(201);
  });

  describe("host_keys", () => {
    it("prefixes a bare key with [host]:port and answers its SHA256 fingerprint", async () => {
      const res = await create({ url: "ssh://git@mirror.example.com:2222/keys-a.git", host_keys: [hostKey.line] });
      expect(res.status).toBe(201);
      expect(res.body.host_keys).toEqual([{ fingerprint_sha256: hostKey.fingerprint }]);
      expect(res.text).not.toContain(hostKey.line.split(" ")[1]);
    });

    it("keeps known_hosts lines and answers fingerprints in line order", async () => {
      const res = await create({
        url: "ssh://git@mirror.example.com/keys-b.git",
        host_keys: [`mirror.example.com ${otherHostKey.line}`, hostKey.line, "  "],
      });
      expect(res.body.host_keys).toEqual([{ fingerprint_sha256: otherHostKey.fingerprint }, { fingerprint_sha256: hostKey.fingerprint }]);
    });

    it("repairs base64 whose '+' (even '++') became spaces in a form body", async () => {
      const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILgrcOKfaT8aC2W3++h9l1iBMpbStOZ69Wb1oq+s9S+M";
      const fingerprint = "SHA256:hv/LKuWdd7LjHftREWMQFnq81vbTrdrmSf96zCaCRGk";
      const spaced = key.replace(/\+/g, " ");
      const res = await api("POST", "/projects/1/remote_mirrors", {
        ...root,
        form: { url: "ssh://git@mirror.example.com/keys-c.git", "host_keys[]": [spaced, `other.example.com ${spaced}`] },
      });
      expect(res.status).toBe(201);
      expect(res.body.host_keys).toEqual([{ fingerprint_sha256: fingerprint }, { fingerprint_sha256: fingerprint }]);
    });

    it("rejects more than ten keys", async () => {
      const res = await create({ url: uniqueUrl("ssh://git@mirror.example.com"), host_keys: Array(11).fill(hostKey.line) });
      expect([res.status, res.body]).toEqual([400, { message: "Invalid SSH host key(s): too many host keys (maximum is 10)" }]);
    });

    it("rejects invalid keys, naming them, and creates nothing", async () => {
      const before = (await api("GET", "/projects/1/remote_mirrors?per_page=100", root)).body.length;
      const res = await create({ url: uniqueUrl("ssh://git@mirror.example.com"), host_keys: [hostKey.line, "ssh-rsa notbase64!", "garbage"] });
      expect([res.status, res.body]).toEqual([400, { message: "Invalid SSH host key(s): ssh-rsa notbase64!, garbage" }]);
      expect((await api("GET", "/projects/1/remote_mirrors?per_page=100", root)).body.length).toBe(before);
    });

    it("cannot place a bare key without a host in the URL", async () => {
      const res = await create({ url: "", host_keys: [hostKey.line] });
      expect([res.status, res.body]).toEqual([400, { message: "Invalid SSH host key(s): cannot determine hostname from URL for bare key" }]);
    });
  });
});

describe("the enabled-mirror cap", () => {
  let capped: RunningEmulator;
  beforeAll(async () => {
    capped = await startTestEmulator({ seed: { ...PERMISSIONS_SEED, settings: { ...PERMISSIONS_SEED.settings, maxEnabledMirrorsPerProject: 2 } } });
  });
  afterAll(async () => {
    await capped.close();
  });

  it("refuses a third enabled mirror, allows disabled ones, and refuses enabling one over the cap", async () => {
    const post = (json: unknown) => call(capped.apiUrl, "POST", "/projects/1/remote_mirrors", { ...root, json });
    expect((await post({ url: "https://m.example.com/1.git", enabled: true })).status).toBe(201);
    expect((await post({ url: "https://m.example.com/2.git", enabled: true })).status).toBe(201);
    const third = await post({ url: "https://m.example.com/3.git", enabled: true });
    expect([third.status, third.body]).toEqual([400, { message: { base: ["Maximum number of push mirrors (2) exceeded for this project."] } }]);
    const disabled = await post({ url: "https://m.example.com/3.git", enabled: false });
    expect(disabled.status).toBe(201);
    const enable = await call(capped.apiUrl, "PUT", `/projects/1/remote_mirrors/${disabled.body.id}`, { ...root, json: { enabled: true } });
    expect([enable.status, enable.body]).toEqual([400, { message: { base: ["Maximum number of push mirrors (2) exceeded for this project."] } }]);
  });
});

describe("GET /projects/:id/remote_mirrors (pagination)", () => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) expect((await create({ url: uniqueUrl("https://page.example.com") }, 3)).status).toBe(201);
  });

  it("lists in id order with GitLab's pagination headers", async () => {
    const first = await api("GET", "/projects/3/remote_mirrors?per_page=2", root);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(2);
    expect(first.body[0].id).toBeLessThan(first.body[1].id);
    expect(Object.fromEntries(["x-per-page", "x-page", "x-next-page", "x-prev-page", "x-total", "x-total-pages"].map((h) => [h, first.headers.get(h)]))).toEqual({
      "x-per-page": "2", "x-page": "1", "x-next-page": "2", "x-prev-page": "", "x-total": "3", "x-total-pages": "2",
    });
    const link = first.headers.get("link")!;
    const page = (n: number) => `<${emulator.apiUrl}/projects/3/remote_mirrors?id=3&page=${n}&per_page=2>`;
    expect(link).toBe(`${page(2)}; rel="next", ${page(1)}; rel="first", ${page(2)}; rel="last"`);
    const second = await api("GET", "/projects/3/remote_mirrors?per_page=2&page=2", root);
    expect(second.body).toHaveLength(1);
    expect(second.headers.get("x-next-page")).toBe("");
    expect(second.headers.get("x-prev-page")).toBe("1");
  });

  it("builds Link from every request parameter, sorted, as GitLab's to_query does (regression: id and order were lost)", async () => {
    const res = await api("GET", "/projects/group%2Fsub%2Finternal-app/remote_mirrors?per_page=1&page=2&z=last&a[]=x%20y&a[]=%2A", root);
    const page = (n: number) =>
      `<${emulator.apiUrl}/projects/group%2Fsub%2Finternal-app/remote_mirrors?a%5B%5D=x+y&a%5B%5D=%2A&id=group%2Fsub%2Finternal-app&page=${n}&per_page=1&z=last>`;
    expect(res.headers.get("link")).toBe(`${page(1)}; rel="prev", ${page(3)}; rel="next", ${page(1)}; rel="first", ${page(3)}; rel="last"`);
  });

  it("answers 200 [] for a project without mirrors", async () => {
    const res = await api("GET", "/projects/4/remote_mirrors", root);
    expect([res.status, res.body, res.headers.get("x-total-pages")]).toEqual([200, [], "1"]);
  });

  it("rejects per_page=0 and non-integers, clamps per_page above 100", async () => {
    const zero = await api("GET", "/projects/3/remote_mirrors?per_page=0", root);
    expect([zero.status, zero.body]).toEqual([400, { error: "per_page has a value not allowed" }]);
    const text = await api("GET", "/projects/3/remote_mirrors?page=two", root);
    expect([text.status, text.body]).toEqual([400, { error: "page is invalid" }]);
    const big = await api("GET", "/projects/3/remote_mirrors?per_page=500", root);
    expect(big.headers.get("x-per-page")).toBe("100");
  });
});

describe("PUT /projects/:id/remote_mirrors/:mirror_id", () => {
  it("updates declared attributes and ignores url", async () => {
    const created = await create({ url: "https://user:pw-one@mirror.example.com/put-a.git" });
    const res = await api("PUT", `/projects/1/remote_mirrors/${created.body.id}`, {
      ...root,
      json: { url: "https://other.example.com/changed.git", enabled: true, keep_divergent_refs: true, only_protected_branches: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: "https://*****:*****@mirror.example.com/put-a.git", enabled: true, keep_divergent_refs: true, only_protected_branches: true });
  });

  it("treats an empty PUT as a no-op 200", async () => {
    const created = await create({ url: uniqueUrl(), enabled: true });
    const res = await api("PUT", `/projects/1/remote_mirrors/${created.body.id}`, { ...root, json: {} });
    expect([res.status, res.body]).toEqual([200, created.body]);
  });

  it("answers a model error for an unknown auth_method (unlike POST)", async () => {
    const created = await create({ url: uniqueUrl() });
    const res = await api("PUT", `/projects/1/remote_mirrors/${created.body.id}`, { ...root, json: { auth_method: "kerberos" } });
    expect([res.status, res.body]).toEqual([400, { message: { auth_method: ["is not included in the list"] } }]);
  });

  it("answers can't be blank for a null only_protected_branches", async () => {
    const created = await create({ url: uniqueUrl() });
    const res = await api("PUT", `/projects/1/remote_mirrors/${created.body.id}`, { ...root, json: { only_protected_branches: null } });
    expect([res.status, res.body]).toEqual([400, { message: { only_protected_branches: ["can't be blank"] } }]);
  });

  it("normalises the EE branch filters: each one switches the other off", async () => {
    const created = await create({ url: uniqueUrl(), mirror_branch_regex: "^release/" });
    const id = created.body.id;
    expect(created.body).toMatchObject({ mirror_branch_regex: "^release/", only_protected_branches: false });
    const put = (json: unknown) => api("PUT", `/projects/1/remote_mirrors/${id}`, { ...root, json });
    expect((await put({ only_protected_branches: false })).body).toMatchObject({ mirror_branch_regex: "^release/", only_protected_branches: false });
    expect((await put({ only_protected_branches: true })).body).toMatchObject({ mirror_branch_regex: null, only_protected_branches: true });
    expect((await put({ mirror_branch_regex: "^hotfix" })).body).toMatchObject({ mirror_branch_regex: "^hotfix", only_protected_branches: false });
    expect((await put({ mirror_branch_regex: null })).body).toMatchObject({ mirror_branch_regex: null, only_protected_branches: false });
    const both = await put({ mirror_branch_regex: "x", only_protected_branches: true });
    expect([both.status, both.body]).toEqual([400, { error: "only_protected_branches, mirror_branch_regex are mutually exclusive" }]);
  });

  it("replaces and clears host keys, and leaves them alone on a bad key", async () => {
    const created = await create({ url: "ssh://git@mirror.example.com/put-keys.git", host_keys: [hostKey.line] });
    const id = created.body.id;
    const put = (json: unknown) => api("PUT", `/projects/1/remote_mirrors/${id}`, { ...root, json });
    const bad = await put({ host_keys: ["nonsense"] });
    expect([bad.status, bad.body]).toEqual([400, { message: "Invalid SSH host key(s): nonsense" }]);
    expect((await api("GET", `/projects/1/remote_mirrors/${id}`, root)).body.host_keys).toEqual([{ fingerprint_sha256: hostKey.fingerprint }]);
    expect((await put({ host_keys: [otherHostKey.line] })).body.host_keys).toEqual([{ fingerprint_sha256: otherHostKey.fingerprint }]);
    expect((await put({ host_keys: null })).body.host_keys).toEqual([]);
  });

  it("answers 404 Not found for an unknown mirror", async () => {
    const res = await api("PUT", "/projects/1/remote_mirrors/987654", { ...root, json: { enabled: true } });
    expect([res.status, res.body]).toEqual([404, { message: "404 Not found" }]);
  });
});

describe("DELETE /projects/:id/remote_mirrors/:mirror_id", () => {
  it("answers 204 with an empty body, then 404", async () => {
    const created = await create({ url: uniqueUrl() });
    const res = await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, root);
    expect([res.status, res.text]).toEqual([204, ""]);
    const again = await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, root);
    expect([again.status, again.body]).toEqual([404, { message: "404 Not found" }]);
  });

  it("honours If-Unmodified-Since with 412", async () => {
    const created = await create({ url: uniqueUrl() });
    const stale = await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, {
      ...root,
      headers: { "If-Unmodified-Since": new Date(Date.now() - 3_600_000).toUTCString() },
    });
    expect([stale.status, stale.body]).toEqual([412, { message: "412 Precondition Failed" }]);
    const fresh = await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, {
      ...root,
      headers: { "If-Unmodified-Since": new Date(Date.now() + 3_600_000).toUTCString() },
    });
    expect(fresh.status).toBe(204);
  });
});

describe("GET /projects/:id/remote_mirrors/:mirror_id/public_key", () => {
  it("answers the generated RSA 4096 key with comment git@<host> for ssh:// with ssh_public_key", async () => {
    const created = await create({ url: "ssh://git@mirror.example.com/pk.git", auth_method: "ssh_public_key" });
    expect(created.body.auth_method).toBe("ssh_public_key");
    const res = await api("GET", `/projects/1/remote_mirrors/${created.body.id}/public_key`, root);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["public_key"]);
    const [type, blob, comment] = res.body.public_key.split(" ");
    expect([type, comment]).toEqual(["ssh-rsa", `git@${new URL(emulator.baseUrl).hostname}`]);
    const fingerprint = execFileSync("ssh-keygen", ["-l", "-f", "-"], { input: `${type} ${blob}\n` }).toString();
    expect(fingerprint.startsWith("4096 SHA256:")).toBe(true);
    expect(fingerprint).toContain("(RSA)");
  });

  it("never regenerates the key when switching auth_method back and forth", async () => {
    const created = await create({ url: "ssh://git@mirror.example.com/pk-stable.git", auth_method: "ssh_public_key" });
    const id = created.body.id;
    const key = (await api("GET", `/projects/1/remote_mirrors/${id}/public_key`, root)).body.public_key;
    await api("PUT", `/projects/1/remote_mirrors/${id}`, { ...root, json: { auth_method: "password" } });
    const hidden = await api("GET", `/projects/1/remote_mirrors/${id}/public_key`, root);
    expect([hidden.status, hidden.body]).toEqual([404, { message: "404 Not Found" }]);
    await api("PUT", `/projects/1/remote_mirrors/${id}`, { ...root, json: { auth_method: "ssh_public_key" } });
    expect((await api("GET", `/projects/1/remote_mirrors/${id}/public_key`, root)).body.public_key).toBe(key);
  });

  it("answers 404 Not Found for password mirrors and for https:// with ssh_public_key", async () => {
    for (const json of [{ url: uniqueUrl("ssh://git@mirror.example.com") }, { url: uniqueUrl(), auth_method: "ssh_public_key" }]) {
      const created = await create(json);
      const res = await api("GET", `/projects/1/remote_mirrors/${created.body.id}/public_key`, root);
      expect([res.status, res.body]).toEqual([404, { message: "404 Not Found" }]);
    }
  });

  it("resets the run fields when credentials are assigned on PUT", async () => {
    const created = await create({ url: uniqueUrl() });
    const res = await api("PUT", `/projects/1/remote_mirrors/${created.body.id}`, { ...root, json: { auth_method: "password" } });
    expect(res.body).toMatchObject({ update_status: "finished", last_error: null, last_update_at: null });
  });
});

describe("POST /projects/:id/remote_mirrors/:mirror_id/sync", () => {
  it("answers 400 for a disabled mirror", async () => {
    const created = await create({ url: uniqueUrl(), enabled: false });
    const res = await api("POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, root);
    expect([res.status, res.body]).toEqual([400, { message: "Cannot proceed with the push mirroring. Please verify your mirror configuration." }]);
  });

  it("answers 404 for an unknown mirror", async () => {
    const res = await api("POST", "/projects/1/remote_mirrors/424242/sync", root);
    expect([res.status, res.body]).toEqual([404, { message: "404 Not found" }]);
  });
});

describe("computed enabled", () => {
  it("is false, and sync refused, when the project repository does not exist", async () => {
    const created = await create({ url: uniqueUrl(), enabled: true }, 4);
    expect(created.body.enabled).toBe(true);
    fs.renameSync(path.join(emulator.dataDir, "repositories", "projects", "4.git"), path.join(emulator.dataDir, "repositories", "projects", "4.git.away"));
    try {
      expect((await api("GET", `/projects/4/remote_mirrors/${created.body.id}`, root)).body.enabled).toBe(false);
      expect((await api("POST", `/projects/4/remote_mirrors/${created.body.id}/sync`, root)).status).toBe(400);
    } finally {
      fs.renameSync(path.join(emulator.dataDir, "repositories", "projects", "4.git.away"), path.join(emulator.dataDir, "repositories", "projects", "4.git"));
    }
    expect((await api("GET", `/projects/4/remote_mirrors/${created.body.id}`, root)).body.enabled).toBe(true);
  });
});

describe("CE edition", () => {
  let ce: RunningEmulator;
  beforeAll(async () => {
    ce = await startTestEmulator({ seed: { ...PERMISSIONS_SEED, settings: { ...PERMISSIONS_SEED.settings, edition: "ce" } } });
  });
  afterAll(async () => {
    await ce.close();
  });

  it("neither exposes nor accepts mirror_branch_regex", async () => {
    const res = await call(ce.apiUrl, "POST", "/projects/1/remote_mirrors", {
      ...root,
      json: { url: "https://m.example.com/ce.git", only_protected_branches: true, mirror_branch_regex: "(" },
    });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty("mirror_branch_regex");
    expect(res.body.only_protected_branches).toBe(true);
  });
});

describe("allowLocalRequests off", () => {
  let strict: RunningEmulator;
  beforeAll(async () => {
    strict = await startTestEmulator({ seed: { ...PERMISSIONS_SEED, settings: { ...PERMISSIONS_SEED.settings, allowLocalRequests: false } } });
  });
  afterAll(async () => {
    await strict.close();
  });

  it.each([
    ["http://127.0.0.1/x.git", "Requests to localhost are not allowed"],
    ["http://localhost/x.git", "Requests to localhost are not allowed"],
    ["http://0.0.0.0/x.git", "Requests to localhost are not allowed"],
    ["http://127.0.0.2/x.git", "Requests to loopback addresses are not allowed"],
    ["https://192.168.1.1/x.git", "Requests to the local network are not allowed"],
    ["ssh://git@10.1.2.3/x.git", "Requests to the local network are not allowed"],
    ["http://[fd00::1]/x.git", "Requests to the local network are not allowed"],
    ["http://169.254.169.254/x.git", "Requests to the link local network are not allowed"],
    ["http://100.64.0.1/x.git", "Requests to the shared address space are not allowed"],
    ["http://255.255.255.255/x.git", "Requests to the limited broadcast address are not allowed"],
  ])("blocks %s", async (url, reason) => {
    const res = await call(strict.apiUrl, "POST", "/projects/1/remote_mirrors", { ...root, json: { url } });
    expect([res.status, res.body]).toEqual([400, { message: { url: [`is blocked: ${reason}`] } }]);
  });

  it("allows public addresses and names (names are not resolved)", async () => {
    const res = await call(strict.apiUrl, "POST", "/projects/1/remote_mirrors", { ...root, json: { url: "https://203.0.113.7/x.git" } });
    expect(res.status).toBe(201);
  });
});

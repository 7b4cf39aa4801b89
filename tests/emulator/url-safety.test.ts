/**
 * Mirror URLs the emulator must neither leak nor follow: host-less `scheme:` strings that git
 * would read as scp-style, names and odd spellings that a resolver could send off the machine,
 * paths with invalid percent-encoding, and the `git` user that is not a secret.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { titledByFirstCell } from "../support/titles";
import { apiClient, startTestEmulator, tempDir, ROOT_TOKEN, TARGET_PASSWORD, TARGET_USER } from "./helpers";

let emulator: RunningEmulator;
let work: string;
const api = apiClient(() => emulator);
const root = { token: ROOT_TOKEN };

beforeAll(async () => {
  work = tempDir("url-safety");
  emulator = await startTestEmulator({ dataDir: path.join(work, "data") });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function syncAndRead(url: string): Promise<any> {
  const created = await api("POST", "/projects/1/remote_mirrors", { ...root, json: { url, enabled: true } });
  expect(created.status).toBe(201);
  expect((await api("POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, root)).status).toBe(204);
  await emulator.idle();
  const final = (await api("GET", `/projects/1/remote_mirrors/${created.body.id}`, root)).body;
  await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, root);
  return final;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("POST /projects/:id/remote_mirrors with a URL that is not scheme://host", () => {
  it.each(titledByFirstCell<[string, string]>([
    ["https:bot:Secret1@127.0.0.1/x.git", "URI is invalid"],
    ["http:127.0.0.1/x.git", "URI is invalid"],
    ["ssh:git@127.0.0.1/x.git", "URI is invalid"],
    ["https:/127.0.0.1/x.git", "URI is invalid"],
    ["git@127.0.0.1:backup/x.git", "URI is invalid"],
    ["127.0.0.1:backup/x.git", "URI is invalid"],
    ["mirror.example.com:backup/x.git", "Only allowed schemes are http, https, ssh, git"],
  ]))("refuses %s without echoing or storing it (regression: the password was answered and stored)", async (_title, url, reason) => {
    const res = await api("POST", "/projects/1/remote_mirrors", { ...root, json: { url } });
    expect([res.status, res.body]).toEqual([400, { message: { url: [`is blocked: ${reason}`] } }]);
    expect(fs.readFileSync(path.join(emulator.dataDir, "store.json"), "utf8")).not.toContain("Secret1");
  });
});

describe("mirror URL paths with invalid percent-encoding", () => {
  // On the emulator's own host and port, so that the self-mirror check reads the path.
  it.each([["ssh://127.0.0.1/%ff.git"], ["<base>/%zz"], ["<base>/group/%E0%A4%A.git"]])(
    "are saved as GitLab saves them, not answered with a 500 (regression): %s",
    async (template) => {
      const url = template.replace("<base>", emulator.baseUrl);
      const res = await api("POST", "/projects/1/remote_mirrors", { ...root, json: { url } });
      expect([res.status, res.body.url]).toEqual([201, url]);
      await api("DELETE", `/projects/1/remote_mirrors/${res.body.id}`, root);
    },
  );
});

describe("the self-mirror check", () => {
  it("reads a path with a run of 100,000 slashes in linear time (regression: a quadratic trim stalled the server)", async () => {
    const started = performance.now();
    const res = await api("POST", "/projects/1/remote_mirrors", { ...root, json: { url: `${emulator.baseUrl}/x${"/".repeat(100_000)}y.git` } });
    expect(res.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(1_000);
    await api("DELETE", `/projects/1/remote_mirrors/${res.body.id}`, root);
  });
});

describe("the loopback guard", () => {
  it.each([["name.localhost"], ["127.1"], ["2130706433"], ["0x7f.0.0.1"], ["127.0.0.1.nip.io"]])(
    "refuses %s without contacting it, going through started to failed (regressions: names were resolved; no timestamps)",
    async (host) => {
      const final = await syncAndRead(`ssh://git@${host}/x.git`);
      expect(final).toMatchObject({
        update_status: "failed",
        last_error: `the emulator pushes only to loopback targets (127.0.0.0/8, ::1, localhost); ${host} was not contacted. Set settings.allowRemotePushes to true in the seed to push elsewhere`,
        last_successful_update_at: null,
      });
      expect(final.last_update_started_at).toEqual(expect.any(String));
      expect(final.last_update_at).toEqual(expect.any(String));
      expect(Date.parse(final.last_update_at)).toBeGreaterThanOrEqual(Date.parse(final.last_update_started_at));
    },
  );

  it("pushes to localhost, which it maps to 127.0.0.1 itself", async () => {
    const port = new URL(emulator.baseUrl).port;
    const final = await syncAndRead(`http://${TARGET_USER}:${TARGET_PASSWORD}@localhost:${port}/-/targets/backup/app.git`);
    expect(final).toMatchObject({ update_status: "finished", last_error: null });
  });
});

describe("an SSH mirror's key file", () => {
  it("exists only while git runs (regression: every private key stayed under <data-dir>/ssh)", async () => {
    const created = await api("POST", "/projects/1/remote_mirrors", {
      ...root,
      json: { url: `ssh://git@127.0.0.1:${await closedPort()}/key.git`, auth_method: "ssh_public_key", enabled: true },
    });
    expect(created.status).toBe(201);
    await api("POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, root);
    await emulator.idle();
    expect((await api("GET", `/projects/1/remote_mirrors/${created.body.id}`, root)).body.update_status).toBe("failed");
    expect(fs.readdirSync(path.join(emulator.dataDir, "ssh"))).toEqual([]);
    await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, root);
  });
});

describe("last_error of an ssh://git@ mirror", () => {
  it("keeps the user name git visible (regression: it read '***** ls-remote failed')", async () => {
    const final = await syncAndRead(`ssh://git@127.0.0.1:${await closedPort()}/x.git`);
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toMatch(/^git ls-remote failed with exit status 128: /);
    expect(final.last_error).not.toContain("*****");
  });
});

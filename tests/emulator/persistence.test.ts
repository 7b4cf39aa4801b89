/**
 * Restarting with --data-dir loses nothing (mirrors, ids, keys, credentials, statuses,
 * repositories), the temporary data dir goes away on close, and a crash mid-write leaves a
 * readable store.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { writeFileAtomic } from "../../emulator/store";
import { call, remoteRefs, tempDir, withAuth, WorkTree, ROOT_TOKEN, TARGET_PASSWORD, TARGET_USER } from "./helpers";

let work: string;
beforeAll(() => {
  work = tempDir("persist");
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe("restart with a data directory", () => {
  it("keeps mirrors, ids, keys, credentials, statuses and repositories", async () => {
    const dataDir = path.join(work, "data");
    const root = { token: ROOT_TOKEN };
    let first: RunningEmulator | undefined = await startEmulator({ dataDir });
    let second: RunningEmulator | undefined;
    try {
      const targetUrl = `${first.baseUrl}/-/targets/backup/app.git`;
      const tree = await WorkTree.clone(withAuth(`${first.baseUrl}/demo/app.git`, "root", ROOT_TOKEN), path.join(work, "clone"));
      const firstHead = await tree.commit("first", "main");
      await tree.run(["push", "--quiet", "origin", "main"]);
      const created = await call(first.apiUrl, "POST", "/projects/1/remote_mirrors", {
        ...root,
        json: { url: withAuth(targetUrl, TARGET_USER, TARGET_PASSWORD), enabled: true, keep_divergent_refs: true },
      });
      const ssh = await call(first.apiUrl, "POST", "/projects/1/remote_mirrors", {
        ...root,
        json: { url: "ssh://git@mirror.example.com/x.git", auth_method: "ssh_public_key" },
      });
      await call(first.apiUrl, "POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, root);
      await first.idle();
      const before = (await call(first.apiUrl, "GET", "/projects/1/remote_mirrors", root)).body;
      expect(before[0].update_status).toBe("finished");
      const key = (await call(first.apiUrl, "GET", `/projects/1/remote_mirrors/${ssh.body.id}/public_key`, root)).body;
      const port = Number(new URL(first.baseUrl).port);
      await first.close();
      first = undefined;
      expect(fs.existsSync(dataDir)).toBe(true);

      // Same port, so the stored mirror URL still points at the target.
      second = await startEmulator({ dataDir, port });
      const after = (await call(second.apiUrl, "GET", "/projects/1/remote_mirrors", root)).body;
      expect(after).toEqual(before);
      expect((await call(second.apiUrl, "GET", `/projects/1/remote_mirrors/${ssh.body.id}/public_key`, root)).body).toEqual(key);
      const next = await call(second.apiUrl, "POST", "/projects/1/remote_mirrors", { ...root, json: { url: "https://m.example.com/next.git" } });
      expect(next.body.id).toBe(ssh.body.id + 1);

      // The repositories survived, and the stored target credentials still push.
      const secondTarget = `${second.baseUrl}/-/targets/backup/app.git`;
      expect((await remoteRefs(withAuth(secondTarget, TARGET_USER, TARGET_PASSWORD)))["refs/heads/main"]).toBe(firstHead);
      await tree.run(["remote", "set-url", "origin", withAuth(`${second.baseUrl}/demo/app.git`, "root", ROOT_TOKEN)]);
      const secondHead = await tree.commit("second", "main");
      await tree.run(["push", "--quiet", "origin", "main"]);
      await second.idle();
      const status = (await call(second.apiUrl, "GET", `/projects/1/remote_mirrors/${created.body.id}`, root)).body;
      expect(status).toMatchObject({ update_status: "finished", last_error: null });
      expect((await remoteRefs(withAuth(secondTarget, TARGET_USER, TARGET_PASSWORD)))["refs/heads/main"]).toBe(secondHead);
    } finally {
      await first?.close();
      await second?.close();
    }
  });

  it("close() kills a push that hangs past the grace period", async () => {
    const sockets = new Set<net.Socket>();
    const hang = net.createServer((socket) => { sockets.add(socket); });
    await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
    const port = (hang.address() as net.AddressInfo).port;
    const running = await startEmulator({ closeGraceMs: 300 });
    try {
      const created = await call(running.apiUrl, "POST", "/projects/1/remote_mirrors", {
        token: ROOT_TOKEN,
        json: { url: `http://127.0.0.1:${port}/hang.git`, enabled: true },
      });
      await call(running.apiUrl, "POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, { token: ROOT_TOKEN });
      for (let i = 0; i < 100 && sockets.size === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(sockets.size).toBe(1);
      await running.close();
      expect(fs.existsSync(running.dataDir)).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => hang.close(() => resolve()));
    }
  });

  it("removes a temporary data directory on close", async () => {
    const running = await startEmulator();
    expect(fs.existsSync(path.join(running.dataDir, "store.json"))).toBe(true);
    await running.close();
    expect(fs.existsSync(running.dataDir)).toBe(false);
  });
});

describe("answers and the disk", () => {
  const storeOf = (dataDir: string) => JSON.parse(fs.readFileSync(path.join(dataDir, "store.json"), "utf8")) as { mirrors: { id: number; url: string }[] };

  it("every answered change is on disk when its answer arrives, also for concurrent requests sharing writes", async () => {
    const dataDir = path.join(work, "answered");
    const running = await startEmulator({ dataDir });
    try {
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(running.apiUrl, "POST", `/projects/1/remote_mirrors`, { token: ROOT_TOKEN, json: { url: `https://m.example.com/answered-${i}.git` } }),
        ),
      );
      expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
      // Read before anything else happens: no close, no further request.
      expect(storeOf(dataDir).mirrors.map((m) => m.id).sort((a, b) => a - b)).toEqual(created.map((r) => r.body.id).sort((a, b) => a - b));
      const deleted = await call(running.apiUrl, "DELETE", `/projects/1/remote_mirrors/${created[0].body.id}`, { token: ROOT_TOKEN });
      expect(deleted.status).toBe(204);
      expect(storeOf(dataDir).mirrors.map((m) => m.id)).not.toContain(created[0].body.id);
      expect(fs.readdirSync(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it("a push's last status reaches the disk although no request waits for it", async () => {
    const dataDir = path.join(work, "background");
    const running = await startEmulator({ dataDir });
    try {
      const targetUrl = withAuth(`${running.baseUrl}/-/targets/backup/app.git`, TARGET_USER, TARGET_PASSWORD);
      const created = await call(running.apiUrl, "POST", "/projects/1/remote_mirrors", { token: ROOT_TOKEN, json: { url: targetUrl, enabled: true } });
      await call(running.apiUrl, "POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, { token: ROOT_TOKEN });
      await running.idle();
      const statusOnDisk = () => (storeOf(dataDir).mirrors.find((m) => m.id === created.body.id) as { updateStatus?: string } | undefined)?.updateStatus;
      // The write starts as soon as the push ends; give it a bounded moment.
      for (let i = 0; i < 100 && statusOnDisk() !== "finished"; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(statusOnDisk()).toBe("finished");
    } finally {
      await running.close();
    }
  });
});

describe("atomic store writes", () => {
  it("leave the previous file intact when a temp file was left behind by a crash", async () => {
    const dataDir = path.join(work, "torn");
    const running = await startEmulator({ dataDir });
    await call(running.apiUrl, "POST", "/projects/1/remote_mirrors", { token: ROOT_TOKEN, json: { url: "https://m.example.com/torn.git" } });
    await running.close();
    fs.writeFileSync(path.join(dataDir, ".store.json.99999.tmp"), '{"version": 1, "mirr');
    const again = await startEmulator({ dataDir });
    try {
      expect((await call(again.apiUrl, "GET", "/projects/1/remote_mirrors", { token: ROOT_TOKEN })).body).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it("are cleaned on open when their writer is gone (regression: copies with credentials stayed forever)", async () => {
    const dataDir = path.join(work, "stale");
    fs.mkdirSync(dataDir, { recursive: true });
    const exited = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => exited.once("exit", resolve));
    const alive = spawn(process.execPath, ["-e", "setInterval(() => undefined, 1000)"]);
    try {
      const copy = JSON.stringify({ version: 1, credentials: "stale-secret-copy" });
      const names = [`.store.json.${exited.pid}.tmp`, `.store.json.${process.pid}.tmp`, `.store.json.${alive.pid}.tmp`, ".store.json.x.tmp", "notes.tmp"];
      for (const name of names) fs.writeFileSync(path.join(dataDir, name), copy);
      const running = await startEmulator({ dataDir });
      await running.close();
      expect(fs.readdirSync(dataDir).filter((f) => f.endsWith(".tmp")).sort()).toEqual([`.store.json.${alive.pid}.tmp`, ".store.json.x.tmp", "notes.tmp"].sort());
    } finally {
      alive.kill("SIGKILL");
    }
  });

  it("replace the file in one step and leave no temp files behind", () => {
    const file = path.join(work, "atomic.json");
    for (let i = 0; i < 50; i += 1) {
      writeFileAtomic(file, JSON.stringify({ i, padding: "x".repeat(10_000 + i) }));
      expect(JSON.parse(fs.readFileSync(file, "utf8")).i).toBe(i);
    }
    expect(fs.readdirSync(work).filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});


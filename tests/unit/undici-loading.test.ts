/**
 * The client loads two of undici's modules instead of its index (provider/gitlab/undici.ts). These tests
 * fail when an undici release moves or changes them: the pieces must be the very ones the index exports,
 * a request must work through them, and loading them must not load the index.
 */
import { execFileSync } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { loadHttpClient } from "../../provider/gitlab/undici";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("undici's pieces, loaded narrowly", () => {
  it("are the Agent and the request API the index exports", () => {
    const narrow = loadHttpClient("narrow");
    const whole = loadHttpClient("whole");
    expect(narrow.Agent).toBe(whole.Agent);
    // The index installs the request API on every dispatcher; the narrow route calls the same function.
    const undici = require("undici") as typeof import("undici");
    expect(undici.Dispatcher.prototype.request).toBe(require("undici/lib/api/api-request"));
  });

  it("send a request and read its answer", async () => {
    const server = http.createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ method: req.method, url: req.url, token: req.headers["private-token"] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = loadHttpClient("narrow");
    const agent = new client.Agent({ connections: 1 });
    try {
      const res = await client.request(agent, { origin, path: "/api/v4/projects/a%2Fb/remote_mirrors?page=2", method: "GET", headers: { "private-token": "t" } });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({ method: "GET", url: "/api/v4/projects/a%2Fb/remote_mirrors?page=2", token: "t" });
    } finally {
      await agent.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("fall back to undici's index when a release no longer has them where we look", () => {
    jest.isolateModules(() => {
      // Missing when we ask for it by its path; undici's index, which loads it as its own file, still works.
      let asked = 0;
      jest.doMock("undici/lib/dispatcher/agent", () => {
        asked += 1;
        if (asked === 1) throw Object.assign(new Error("Cannot find module 'undici/lib/dispatcher/agent'"), { code: "MODULE_NOT_FOUND" });
        return jest.requireActual("undici/lib/dispatcher/agent");
      });
      const { loadHttpClient: load } = require("../../provider/gitlab/undici") as typeof import("../../provider/gitlab/undici");
      const client = load("narrow");
      expect(asked).toBe(2);
      expect(client.Agent).toBe((require("undici") as typeof import("undici")).Agent);
    });
    jest.dontMock("undici/lib/dispatcher/agent");
  });

  it("do not load undici's index (fetch, WebSocket, mocks, caches)", () => {
    const script = [
      `require(${JSON.stringify(path.join(repoRoot, "dist", "provider", "gitlab", "undici.js"))}).undici();`,
      "const loaded = Object.keys(require.cache).filter((file) => file.includes('undici'));",
      "console.log(JSON.stringify({ index: loaded.some((file) => /undici[\\\\/]index\\.js$/.test(file)), count: loaded.length }));",
    ].join("\n");
    const result = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" })) as { index: boolean; count: number };
    expect(result.index).toBe(false);
    expect(result.count).toBeGreaterThan(1);
  });
});

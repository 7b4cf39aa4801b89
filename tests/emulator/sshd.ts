/**
 * A throwaway sshd on 127.0.0.1 for SSH mirroring tests: its own config, host key,
 * AuthorizedKeysFile and port in a temp dir, run in the foreground (`-D -e`).
 * When run as root, sshd insists on its privilege-separation directory /run/sshd (what the
 * openssh-server service would create). It is created if missing and deliberately left in place:
 * suites run in parallel, and removing it under another suite's sshd would break that sshd.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const PRIVSEP_DIR = "/run/sshd";

export interface TestSshd {
  port: number;
  user: string;
  /** `ssh-ed25519 AAAA...` of the server. */
  hostKey: string;
  dir: string;
  authorize(publicKey: string): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForBanner(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("data", (d) => { socket.destroy(); resolve(d.toString().startsWith("SSH-")); });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not start on port ${port}`);
}

export async function startSshd(): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glm-emu-sshd-"));
  const hostKeyFile = path.join(dir, "ssh_host_ed25519_key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", hostKeyFile]);
  const authorizedKeys = path.join(dir, "authorized_keys");
  fs.writeFileSync(authorizedKeys, "", { mode: 0o600 });
  const port = await freePort();
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(config, [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${hostKeyFile}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `PidFile ${path.join(dir, "sshd.pid")}`,
    "StrictModes no",
    "UsePAM no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "LogLevel ERROR",
    "",
  ].join("\n"));
  if (process.getuid?.() === 0) fs.mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitForBanner(port, 10_000);
  } catch (err) {
    child.kill("SIGTERM");
    throw new Error(`${(err as Error).message}: ${stderr}`);
  }
  return {
    port,
    user: os.userInfo().username,
    hostKey: fs.readFileSync(`${hostKeyFile}.pub`, "utf8").trim(),
    dir,
    authorize(publicKey: string) {
      fs.appendFileSync(authorizedKeys, `${publicKey}\n`);
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

#!/usr/bin/env node
/**
 * gitlab-mirrors-emulator [--host 127.0.0.1] [--port N|0] [--seed FILE] [--data-dir DIR] [--public-host NAME]
 * The first stdout line is the base URL; everything else goes to stderr.
 */
import * as fs from "node:fs";
import { DEFAULT_SEED, startEmulator, type EmulatorSeed } from "./index";

interface CliArgs {
  host: string;
  port: number;
  seedFile?: string;
  dataDir?: string;
  publicHost?: string;
}

const USAGE = "usage: gitlab-mirrors-emulator [--host 127.0.0.1] [--port N|0] [--seed FILE] [--data-dir DIR] [--public-host NAME]";

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { host: "127.0.0.1", port: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--host": args.host = value(); break;
      case "--port": {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535\n${USAGE}`);
        args.port = port;
        break;
      }
      case "--seed": args.seedFile = value(); break;
      case "--data-dir": args.dataDir = value(); break;
      case "--public-host": args.publicHost = value(); break;
      case "--help": case "-h": process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed: EmulatorSeed = args.seedFile ? (JSON.parse(fs.readFileSync(args.seedFile, "utf8")) as EmulatorSeed) : DEFAULT_SEED;
  const running = await startEmulator({ seed, dataDir: args.dataDir, publicHost: args.publicHost, host: args.host, port: args.port });
  process.stdout.write(`${running.baseUrl}\n`);
  process.stderr.write(`GitLab emulator listening on ${running.baseUrl} (API ${running.apiUrl})\n`);
  if (!args.seedFile) {
    for (const user of DEFAULT_SEED.users ?? []) {
      for (const token of user.tokens ?? []) process.stderr.write(`  user ${user.username}${user.admin ? " (admin)" : ""}: token ${token.token}\n`);
    }
    process.stderr.write(`  project demo/app: ${running.baseUrl}/demo/app.git\n`);
    for (const target of DEFAULT_SEED.targets ?? []) process.stderr.write(`  target: ${running.baseUrl}/-/targets/${target.path}.git (user ${target.username})\n`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`gitlab-mirrors-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});

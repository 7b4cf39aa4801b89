#!/usr/bin/env node
/**
 * gitlab-mirrors-emulator: parses arguments, starts the emulator, lists what it serves, and stops
 * on SIGTERM/SIGINT. The first stdout line is the base URL; everything else goes to stderr.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SEED, startEmulator, type EmulatorInventory, type EmulatorSeed } from "./index";

const NAME = "gitlab-mirrors-emulator";
const USAGE = `usage: ${NAME} [--host ADDRESS] [--port N] [--seed FILE] [--data-dir DIR] [--public-host NAME]`;
const HELP = `${USAGE}

A local GitLab for push mirrors: the remote-mirror REST API with GitLab's answers, git over
smart HTTP, and real mirroring on sync and on push. The first line on stdout is the base URL
(the API is under <base>/api/v4); users, tokens, projects and targets are listed on stderr.

options:
  --host ADDRESS       address to listen on (default 127.0.0.1)
  --port N             port to listen on, 0..65535; 0 picks a free port (default 0)
  --seed FILE          JSON seed with settings, users and their tokens, projects and targets
                       (default: the built-in seed: users root and alice, project demo/app,
                       target backup/app)
  --data-dir DIR       keep state and repositories in DIR across restarts; the stored state wins
                       over --seed (default: a temporary directory, removed on exit)
  --public-host NAME   host name in mirror public-key comments, git@NAME (default: the --host value)
  -h, --help           print this help and exit
  -v, --version        print the version and exit

SIGTERM or SIGINT stops the server after running mirror pushes finish (exit 0). A bad option or
seed exits with status 2.`;

const OPTIONS = {
  host: { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "0" },
  seed: { type: "string" },
  "data-dir": { type: "string" },
  "public-host": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "EMU_ERR_USAGE";
}

interface CliArgs {
  host: string;
  port: number;
  seedFile?: string;
  dataDir?: string;
  publicHost?: string;
  help: boolean;
  version: boolean;
}

/** util.parseArgs's messages name the rule; ours name the argument and point at --help. */
function usageMessage(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted) return `unknown option ${quoted}`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && quoted) return `unexpected argument ${quoted}`;
  return message;
}

function readArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(usageMessage(err));
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not ${values.port}`);
  return {
    host: values.host,
    port,
    seedFile: values.seed,
    dataDir: values["data-dir"],
    publicHost: values["public-host"],
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

/** The version of the installed package: the nearest package.json named gitlab-mirrors above this file. */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "gitlab-mirrors" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`the package.json of gitlab-mirrors was not found above ${__dirname}`);
  }
}

function readSeed(file: string): EmulatorSeed {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read the seed file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as EmulatorSeed;
  } catch (err) {
    throw new UsageError(`the seed file ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function describeInventory(inventory: EmulatorInventory): string[] {
  const lines: string[] = [];
  for (const user of inventory.users) {
    const who = `  user ${user.username}${user.admin ? " (admin)" : ""}`;
    if (user.tokens.length === 0) lines.push(`${who}: no token`);
    for (const token of user.tokens) {
      const notes = [token.scopes.join(" "), token.revoked ? "revoked" : "", token.expiresAt ? `expires ${token.expiresAt}` : ""].filter(Boolean);
      lines.push(`${who}: token ${token.token} (${notes.join(", ")})`);
    }
  }
  for (const project of inventory.projects) lines.push(`  project ${project.path} (id ${project.id}, ${project.visibility}): ${project.cloneUrl}`);
  for (const target of inventory.targets) lines.push(`  target: ${target.url} (user ${target.username})`);
  return lines;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (args.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const seed = args.seedFile ? readSeed(args.seedFile) : DEFAULT_SEED;
  const running = await startEmulator({ seed, dataDir: args.dataDir, publicHost: args.publicHost, host: args.host, port: args.port });
  process.stdout.write(`${running.baseUrl}\n`);
  const listing = [`GitLab emulator listening on ${running.baseUrl} (API ${running.apiUrl})`, ...describeInventory(running.inventory())];
  process.stderr.write(`${listing.join("\n")}\n`);
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
  const usage = (err as { code?: unknown }).code === "EMU_ERR_USAGE" ? `\n${USAGE}\n(see --help)` : "";
  process.stderr.write(`${NAME}: ${err instanceof Error ? err.message : String(err)}${usage}\n`);
  process.exit(2);
});

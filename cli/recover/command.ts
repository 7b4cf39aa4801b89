/**
 * `gitlab-mirrors recover`: after an interrupted `pulumi up` of a RemoteMirror stack (plugin or dynamic
 * path), tie each pending create to what GitLab holds, then import the mirrors the run made and clear the
 * creates GitLab never received. Prints every decision; changes the state only with --yes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closeAll, createGitLabClient, GitLabClient } from "../../provider/gitlab";
import { withEnvironmentFallback } from "../../provider/mirror/context";
import { redactAll } from "../../provider/redact";
import { PulumiTarget, requirePulumi } from "../pulumi-cli";
import { EXIT, Output, parseCommandArgs, UsageError } from "../usage";
import { Decision, decide, describe, ListedMirror, Observed } from "./decide";
import { Connection, ExportedDeployment, managedMirrorIds, pendingMirrorCreates, PendingCreate, resolvePendingCreates } from "./state";

export const RECOVER_HELP = `Usage: gitlab-mirrors recover [--stack NAME] [--cwd DIR] [--yes]

Repairs a stack of RemoteMirror resources (TypeScript dynamic or provider plugin) after pulumi up was
interrupted (killed, crashed, lost its connection), so that the next pulumi up neither duplicates a mirror
nor fails with "url has already been taken". Run it in the Pulumi project's directory, after
'pulumi cancel' if the stack is still locked.

For each pending create of a mirror, it looks in GitLab (same project, same URL without credentials, with
the connection settings of the mirror's provider as the state records them, then GITLAB_BASE_URL and
GITLAB_TOKEN):
  import  GitLab holds exactly one such mirror the stack does not manage: the interrupted run made it;
          it is imported (pulumi refresh --import-pending-creates URN ID).
  clear   GitLab holds none: the create never reached GitLab; the pending create is dropped.
  leave   anything else (several candidates, GitLab unreachable): the line says why.
It never takes a mirror that no pending create names. The repair rewrites the state's pending operations as
a whole (pulumi stack export / import, then pulumi refresh), so it changes nothing while any create is left
or the state holds other pending operations: resolve those first.

Options:
  --stack NAME   the stack (default: the project's current stack)
  --cwd DIR      the Pulumi project's directory (default: the current directory)
  --yes          apply the decisions; without it, only print them
  -h, --help     show this help

Needs the pulumi CLI on PATH, and the stack's secrets provider (e.g. PULUMI_CONFIG_PASSPHRASE) to read the
state's secrets. Exit status: 0 recovered (or nothing to do), 1 something was left or failed, 2 bad usage.`;

interface RecoverOptions {
  target: PulumiTarget;
  yes: boolean;
}

function readOptions(args: string[]): RecoverOptions {
  const { values } = parseCommandArgs("recover", {
    args,
    allowPositionals: false,
    options: { stack: { type: "string" }, cwd: { type: "string" }, yes: { type: "boolean" } },
  });
  const cwd = path.resolve(values.cwd ?? ".");
  if (!fs.existsSync(path.join(cwd, "Pulumi.yaml")) && !fs.existsSync(path.join(cwd, "Pulumi.yml"))) {
    throw new UsageError(`${cwd} holds no Pulumi.yaml; run it in the Pulumi project's directory or give --cwd`, "recover");
  }
  return { target: { cwd, stack: values.stack }, yes: values.yes === true };
}

/** The dynamic path's settings: the stack's gitlab:baseUrl and gitlab:token config. */
async function dynamicConnection(target: PulumiTarget): Promise<Connection> {
  const text = await requirePulumi(target, ["config", "--show-secrets", "--json"], "reading the stack's config");
  const config = JSON.parse(text) as Record<string, { value?: unknown }>;
  const value = (key: string): string | undefined => {
    const v = config[key]?.value;
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  return { baseUrl: value("gitlab:baseUrl"), token: value("gitlab:token") };
}

async function observe(pending: PendingCreate[], dynamic: () => Promise<Connection>, secrets: string[]): Promise<Observed[]> {
  const clients = new Map<string, GitLabClient>();
  const lists = new Map<string, Promise<{ projectId: number; mirrors: ListedMirror[] }>>();
  const observed: Observed[] = [];
  for (const p of pending) {
    try {
      const { baseUrl, token } = withEnvironmentFallback(p.path === "dynamic" ? await dynamic() : p.connection);
      if (baseUrl === undefined) throw new Error("no GitLab base URL: the stack records none, and GITLAB_BASE_URL is not set");
      if (token === undefined) throw new Error("no GitLab token: the stack records none, and GITLAB_TOKEN is not set");
      secrets.push(token);
      const clientKey = JSON.stringify([baseUrl, token]);
      const client = clients.get(clientKey) ?? createGitLabClient({ baseUrl, token });
      clients.set(clientKey, client);
      const listKey = JSON.stringify([client.apiUrl, token, p.project]);
      let list = lists.get(listKey);
      if (list === undefined) {
        list = (async () => {
          const projectId = typeof p.project === "number" ? p.project : (await client.projects.get(p.project)).id;
          return { projectId, mirrors: (await client.remoteMirrors.list(projectId)).map((m) => ({ id: m.id, url: m.url })) };
        })();
        lists.set(listKey, list);
      }
      observed.push({ pending: p, ...(await list) });
    } catch (err) {
      observed.push({ pending: p, failure: redactAll(err instanceof Error ? err.message : String(err), secrets) });
    }
  }
  return observed;
}

/**
 * Records the decisions in the state: each imported mirror becomes a resource with its GitLab id, each
 * cleared create is dropped (through `stack export` / `stack import`: the CLI has no per-URN clear, and
 * `pulumi refresh --import-pending-creates` left the imports out of the state with this CLI), then a refresh
 * reads the imported mirrors from GitLab. The export is taken without --show-secrets: the file written holds
 * the state's ciphertexts only.
 */
async function applyDecisions(target: PulumiTarget, imports: Array<Extract<Decision, { kind: "import" }>>, clears: Decision[]): Promise<void> {
  const exported = JSON.parse(await requirePulumi(target, ["stack", "export"], "exporting the state")) as { deployment: ExportedDeployment };
  const edited = resolvePendingCreates(exported, new Map(imports.map((d) => [d.urn, d.id])), new Set(clears.map((d) => d.urn)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-recover-"));
  try {
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, JSON.stringify(edited), { mode: 0o600 });
    await requirePulumi(target, ["stack", "import", "--file", file], "importing the repaired state");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (imports.length > 0) await requirePulumi(target, ["refresh", "--yes", "--skip-preview"], "pulumi refresh (reading the imported mirrors)");
}

export async function runRecover(args: string[], output: Output): Promise<number> {
  const options = readOptions(args);
  const { target } = options;
  const exported = JSON.parse(await requirePulumi(target, ["stack", "export", "--show-secrets"], "exporting the state")) as {
    deployment: ExportedDeployment;
  };
  const { pending, unreadable, others } = pendingMirrorCreates(exported.deployment);
  const stackName = target.stack ?? "the current stack";
  if (pending.length === 0 && unreadable.length === 0) {
    output.out(`recover: ${stackName} has no pending creates of gitlab-mirrors mirrors; nothing to do`);
    return EXIT.done;
  }
  output.out(
    `recover: ${stackName} has ${pending.length + unreadable.length} pending create(s) of gitlab-mirrors mirrors` +
      (others.length > 0 ? ` and ${others.length} of other resources (left alone)` : ""),
  );
  const secrets: string[] = pending.flatMap((p) => [p.url, ...(p.connection.token ? [p.connection.token] : [])].map(String));
  let dynamic: Promise<Connection> | undefined;
  const observed = await observe(pending, () => (dynamic ??= dynamicConnection(target)), secrets);
  await closeAll();
  const decisions: Decision[] = [
    ...decide(observed, managedMirrorIds(exported.deployment)),
    ...unreadable.map((u): Decision => ({ kind: "leave", urn: u.urn, target: "?", reason: u.reason })),
  ];
  for (const d of decisions) output.out(`  ${redactAll(describe(d), secrets)}`);

  const imports = decisions.filter((d): d is Extract<Decision, { kind: "import" }> => d.kind === "import");
  const clears = decisions.filter((d) => d.kind === "clear");
  const left = decisions.filter((d) => d.kind === "leave");
  const summary = `${imports.length} to import, ${clears.length} to clear, ${left.length} left as they are`;
  if (!options.yes) {
    output.out(`recover: ${summary}; nothing changed (run again with --yes to apply)`);
    return left.length > 0 ? EXIT.failed : EXIT.done;
  }
  // `stack import` keeps no pending operation: with any other pending operation in the state, change nothing.
  const otherOperations = (exported.deployment.pending_operations ?? []).length - imports.length - clears.length;
  if (otherOperations > 0) {
    output.out(
      `recover: the state holds ${otherOperations} other pending operation(s) (${left.length} left above, ${others.length} creates of other resources, or updates and deletes) ` +
        "that this repair would drop with the rest; nothing changed. Resolve them first (pulumi refresh handles those of other resources), then run recover again",
    );
    return EXIT.failed;
  }
  if (imports.length + clears.length > 0) await applyDecisions(target, imports, clears);
  output.out(`recover: imported ${imports.length}, cleared ${clears.length}`);
  output.out("recover: done; run pulumi up to converge on the declared mirrors");
  return EXIT.done;
}


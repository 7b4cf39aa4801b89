#!/usr/bin/env node
/**
 * `gitlab-mirrors`: the operator's command. It only dispatches to a subcommand and maps the outcome to an
 * exit status (0 done, 1 failed, 2 bad usage). Secrets never come from the command line: the token is read
 * from GITLAB_TOKEN or a file (see each subcommand's --help).
 */
import { packageInfo } from "../provider/plugin/package-root";
import { FLEET_HELP, runFleet } from "./fleet/command";
import { runRecover, RECOVER_HELP } from "./recover/command";
import { EXIT, isUsageError, Output, processOutput } from "./usage";

export const MAIN_HELP = `Usage: gitlab-mirrors <command> [options]

Commands:
  fleet     plan, apply or destroy a mirror inventory, one stack per group (ProjectMirrors)
  recover   repair a RemoteMirror stack after an interrupted pulumi up (pending creates)

Options:
  -h, --help      show this help (every command has its own: gitlab-mirrors <command> --help)
  -v, --version   print the version

Exit status: 0 done, 1 failed, 2 bad usage (nothing was changed).
Secrets are never taken from the command line: the GitLab token comes from GITLAB_TOKEN or a file.`;

const COMMANDS: Record<string, { help: string; run: (args: string[], output: Output) => Promise<number> }> = {
  fleet: { help: FLEET_HELP, run: runFleet },
  recover: { help: RECOVER_HELP, run: runRecover },
};


export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    (first === undefined ? output.err : output.out)(MAIN_HELP);
    return first === undefined ? EXIT.usage : EXIT.done;
  }
  if (first === "-v" || first === "--version") {
    output.out(packageInfo().version);
    return EXIT.done;
  }
  const command = COMMANDS[first];
  if (command === undefined) {
    output.err(`gitlab-mirrors: unknown command ${JSON.stringify(first.slice(0, 40))}; run gitlab-mirrors --help`);
    return EXIT.usage;
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    output.out(command.help);
    return EXIT.done;
  }
  try {
    return await command.run(rest, output);
  } catch (err) {
    if (isUsageError(err)) {
      output.err(`gitlab-mirrors ${err.command}: ${err.message}; run gitlab-mirrors ${err.command} --help`);
      return EXIT.usage;
    }
    output.err(`gitlab-mirrors ${first}: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`gitlab-mirrors: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}

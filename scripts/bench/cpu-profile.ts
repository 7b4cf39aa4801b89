/**
 * Preloaded into a process (`node --require`, which NODE_OPTIONS allows where it refuses `--cpu-prof`):
 * profiles the process's CPU from start to exit and writes `<pid>.cpuprofile` into
 * $GITLAB_MIRRORS_BENCH_PROFILE_DIR. SIGINT and SIGTERM exit normally, so that a host the engine stops
 * still writes its profile (a process killed by SIGKILL writes none).
 */
import * as fs from "node:fs";
import { Session } from "node:inspector";
import * as path from "node:path";

const dir = process.env.GITLAB_MIRRORS_BENCH_PROFILE_DIR;
if (dir !== undefined && dir !== "") {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  // An in-process inspector session answers synchronously, so this works inside an exit handler.
  process.once("exit", () => {
    session.post("Profiler.stop", (err, result) => {
      if (err !== null) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
}

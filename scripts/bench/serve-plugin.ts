/** Serves the repository's provider plugin outside the engine, for driving it over gRPC in isolation. */
import { main } from "../../provider/plugin/main";

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`the plugin could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

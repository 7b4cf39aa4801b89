/**
 * undici, loaded when the first client is made rather than with the provider: a preview sends no
 * request, and a plugin process that only answers Check and Diff never pays the ~0.1 s of loading it.
 */
import type * as Undici from "undici";

let loaded: typeof Undici | undefined;

export function undici(): typeof Undici {
  return (loaded ??= require("undici") as typeof Undici);
}

/**
 * Reading the inventory and the credentials file: bounded (a wrong file of 50 MB is refused at once, not
 * parsed for a minute), and never quoting what a secret file holds (JSON.parse's messages quote its input).
 */
import * as fs from "node:fs";
import { InvalidInputError } from "../../provider/errors";
import { formatPath, inventoryError, loadInventory, credentialsSchema, type Credentials, type MirrorsByGroup } from "./inventory";

/** Far above any real fleet's file (10,000 mirrors take about 1 MB), far below what would hurt. */
export const MAX_INVENTORY_BYTES = 8 * 1024 * 1024;
export const MAX_CREDENTIALS_BYTES = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}

/** The file's text, or an error naming the limit when it holds more than `limit` bytes (read no further). */
export function readBounded(file: string, limit: number, what: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    throw new InvalidInputError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) throw new InvalidInputError(file, `is larger than ${megabytes(limit)}, the most ${what} may hold; is it the right file?`);
    }
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads, validates and resolves an inventory file (every problem at once). */
export function readInventoryFile(file: string, credentialNames?: ReadonlySet<string>): MirrorsByGroup {
  return loadInventory(readBounded(file, MAX_INVENTORY_BYTES, "an inventory"), file, credentialNames);
}

/**
 * The credentials file: a JSON object of named credentials, `{"backup-bot": {"username": "…", "password": "…"}}`.
 * Its problems are said by place only, never by value.
 */
export function readCredentialsFile(file: string): Credentials {
  const text = readBounded(file, MAX_CREDENTIALS_BYTES, "a credentials file");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Where, never what: the parser's message quotes the text around the mistake, a password included.
    throw inventoryError(file, [{ path: "(file)", message: `is not valid JSON${jsonErrorPlace(text)}; expected {"<name>": {"username": "...", "password": "..."}}` }]);
  }
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    // Paths and zod's messages only: they never quote a value.
    throw inventoryError(file, parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  return parsed.data;
}

/** " at line L" when Node's message gives the position of the mistake; nothing of the text itself. */
function jsonErrorPlace(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec((err as Error).message);
    if (position) return ` at line ${text.slice(0, Number(position[1])).split("\n").length}`;
  }
  return "";
}

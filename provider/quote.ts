/**
 * Quoting a value a caller gave (an id, a function name, a URN) in a message. Such a value may be huge
 * (a gRPC request may carry megabytes), and an error of more than about 64 KB never reaches a grpc-js
 * client, so a message quotes at most the first `MAX_QUOTED` characters and says how long the rest was.
 */
export const MAX_QUOTED = 200;

export function quoted(value: unknown, max: number = MAX_QUOTED): string {
  const text = typeof value === "string" ? value : String(value);
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max))}… (${text.length} characters in all)`;
}

/** The longest message an error sent to the engine carries; past it the message is cut, saying so. */
export const MAX_MESSAGE = 16 * 1024;

export function capped(message: string, max: number = MAX_MESSAGE): string {
  return message.length <= max ? message : `${message.slice(0, max)}… (message cut at ${max} of ${message.length} characters)`;
}

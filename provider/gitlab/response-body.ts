/**
 * Reads a response body, but never more than a bound: GitLab's answers to these calls are a few
 * kilobytes (a page of 100 mirrors is about 60 KB), and a server that sends megabytes must not exhaust
 * the provider's memory.
 */

export interface BoundedText {
  /** The body as UTF-8, or its first `limit` bytes when it was longer. */
  text: string;
  /** The body was longer than the bound and was not read to its end. */
  truncated: boolean;
}

export async function readBounded(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, limit: number): Promise<BoundedText> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk);
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      body.destroy();
      return { text: Buffer.concat(chunks).toString("utf8"), truncated: true };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: false };
}

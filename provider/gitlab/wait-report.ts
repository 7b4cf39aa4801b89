/**
 * Waits that last are said: a sleep longer than REPORT_EVERY_MS is taken in pieces, with a line after each
 * piece, so a caller waiting out a 429 or a retry back-off hears from it at least every 10 s.
 */

export const REPORT_EVERY_MS = 10_000;

export type Sleep = (ms: number) => Promise<void>;

/** Sleeps `ms`, calling `report(waitedMs, totalMs)` every REPORT_EVERY_MS of it (never at the end). */
export async function sleepReporting(sleep: Sleep, ms: number, report: ((waitedMs: number, totalMs: number) => void) | undefined): Promise<void> {
  if (report === undefined || ms <= REPORT_EVERY_MS) {
    await sleep(ms);
    return;
  }
  let waited = 0;
  while (waited < ms) {
    const piece = Math.min(REPORT_EVERY_MS, ms - waited);
    await sleep(piece);
    waited += piece;
    if (waited < ms) report(waited, ms);
  }
}

export function secondsText(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

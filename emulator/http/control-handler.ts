/**
 * /-/emulator/*: controls for tests, demos and benchmarks. Not part of GitLab's API; never counted
 * and never subject to faults. Documented in docs/emulator.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { errors, isEmulatorError } from "../errors";
import { faultConfigSchema, type Faults } from "../controls/faults";
import type { RequestCounters } from "../controls/counters";
import { repoPathSchema, type TargetSeed } from "../seed";
import { trimSlashes } from "../model/mirror-url";
import { BodyParseError, readBody } from "./params";
import { sendError, sendJson } from "./api-handler";

export interface ControlDeps {
  counters: RequestCounters;
  faults: Faults;
  baseUrl(): string;
  createTarget(target: TargetSeed): Promise<void>;
  reset(): Promise<void>;
  idle(): Promise<void>;
}

const targetSchema = z.strictObject({
  path: repoPathSchema,
  username: z.string().min(1),
  password: z.string().min(1),
});

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw errors.badControlRequest("body must be JSON");
  }
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
}

export async function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const route = `${method} /${trimSlashes(subPath)}`;
  try {
    switch (route) {
      case "GET /counters":
        sendJson(res, 200, deps.counters.snapshot());
        return;
      case "DELETE /counters":
        deps.counters.reset();
        sendJson(res, 204, undefined);
        return;
      case "GET /faults":
        sendJson(res, 200, deps.faults.describe());
        return;
      case "PUT /faults": {
        const parsed = faultConfigSchema.safeParse(await jsonBody(req));
        if (!parsed.success) throw errors.badControlRequest(issues(parsed.error));
        deps.faults.set(parsed.data);
        sendJson(res, 200, deps.faults.describe());
        return;
      }
      case "DELETE /faults":
        deps.faults.clear();
        sendJson(res, 204, undefined);
        return;
      case "POST /targets": {
        const parsed = targetSchema.safeParse(await jsonBody(req));
        if (!parsed.success) throw errors.badControlRequest(issues(parsed.error));
        await deps.createTarget(parsed.data);
        sendJson(res, 201, { url: `${deps.baseUrl()}/-/targets/${parsed.data.path}.git` });
        return;
      }
      case "POST /reset":
        await deps.reset();
        sendJson(res, 204, undefined);
        return;
      case "POST /mirrors/idle":
        await deps.idle();
        sendJson(res, 204, undefined);
        return;
      default:
        throw errors.controlNotFound();
    }
  } catch (err) {
    if (isEmulatorError(err)) sendError(res, err);
    else if (err instanceof Error && (err as BodyParseError).code === "EMU_ERR_BODY_PARSE") sendError(res, errors.badControlRequest(err.message));
    else sendJson(res, 500, { error: "internal error" });
  }
}

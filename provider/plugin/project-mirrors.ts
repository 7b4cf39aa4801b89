/**
 * The plugin's ProjectMirrors resource: decodes the engine's plain values into the typed inputs and state
 * of provider/project-mirrors, and encodes the results. No rule of the resource lives here.
 */
import { isDeepStrictEqual } from "node:util";
import type { CheckFailure, MirrorContext } from "../mirror";
import {
  createProjectMirrors,
  decodeProjectMirrorsInputs,
  decodeState,
  deleteProjectMirrors,
  diffProjectMirrors,
  hideEntryProperties,
  ProjectMirrorsState,
  checkProjectMirrorsInputs,
  readProjectMirrors,
  projectMirrorsInputsToRecord,
  Recorded,
  updateProjectMirrors,
} from "../project-mirrors";
import { inEngineForm } from "../partial-state";
import { redactSecrets } from "../redact";
import type { PluginDiff } from "./adapter";

type Props = Record<string, unknown>;

/** Secret wherever they are: an entry's URL in the inputs, its SSH public key in the outputs. */
const SECRET_INPUT_PATHS = ["mirrors[].url"];
const SECRET_OUTPUT_PATHS = ["mirrors[].publicKey"];

/** The strings at a secret path (`mirrors[].url`, `project`) of the inputs. */
function valuesAt(value: unknown, path: string): string[] {
  if (path === "") return typeof value === "string" && value !== "" ? [value] : Array.isArray(value) ? value.flatMap((v) => valuesAt(v, "")) : [];
  if (path.startsWith("[]")) return Array.isArray(value) ? value.flatMap((item) => valuesAt(item, path.slice(2))) : [];
  const field = /^\.?([^.[]+)(.*)$/.exec(path);
  if (field === null || typeof value !== "object" || value === null) return [];
  return valuesAt((value as Props)[field[1]], field[2]);
}

function recorded(props: Props, inputs: Props | undefined): Recorded | undefined {
  const state = decodeState(props);
  return state === undefined ? undefined : { inputs: inputs ?? {}, state };
}

function asProps(state: ProjectMirrorsState): Props {
  return state as unknown as Props;
}

/** A step that failed after GitLab changed: the engine records the state it left (see provider/partial-state.ts). */
function inEngineFormOfState(err: unknown): never {
  throw inEngineForm(err, asProps);
}

export class ProjectMirrorsResource {
  constructor(private readonly contextFor: (urn: string) => MirrorContext) {}

  /** `secretPaths`: where the program marked values secret (`mirrors[].mirrorBranchRegex`); no reason quotes them. */
  check(news: Props, secretPaths: Iterable<string> = []): { inputs: Props; failures: CheckFailure[] } {
    const hidden = [...secretPaths].flatMap((path) => valuesAt(news, path));
    const failures = hideEntryProperties(checkProjectMirrorsInputs(news)).map((failure) => ({ ...failure, reason: redactSecrets(failure.reason, hidden) }));
    return { inputs: failures.length > 0 ? news : projectMirrorsInputsToRecord(news), failures };
  }

  diff(olds: Props, news: Props, oldInputs: Props | undefined): PluginDiff {
    const result = diffProjectMirrors(oldInputs ?? {}, decodeState(olds), news);
    const detailed: PluginDiff["detailed"] = {};
    const outputDiffs: string[] = [];
    for (const [path, change] of Object.entries(result.detailed)) {
      detailed[path] = change.kind;
      if (!change.inputDiff) outputDiffs.push(path);
    }
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: result.deleteBeforeReplace, detailed, outputDiffs };
  }

  async create(urn: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const result = await createProjectMirrors(decodeProjectMirrorsInputs(inputs), this.contextFor(urn)).catch(inEngineFormOfState);
    return { id: result.id, outs: asProps(result.state) };
  }

  /** Refresh, and import (no properties and no inputs: every mirror of the project becomes an entry). */
  async read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const result = await readProjectMirrors(id, recorded(props, inputs), this.contextFor(urn));
    const found = projectMirrorsInputsToRecord(result.inputs);
    const unchanged = Object.keys(inputs).length > 0 && isDeepStrictEqual(found, inputs);
    return { id: String(result.state.projectId), props: asProps(result.state), inputs: unchanged ? undefined : found };
  }

  async update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<{ outs: Props }> {
    const before = recorded(olds, oldInputs) ?? { inputs: oldInputs, state: { projectId: Number(id), mirrors: [], unmanagedMirrors: [] } };
    const state = await updateProjectMirrors(id, before, decodeProjectMirrorsInputs(news), this.contextFor(urn)).catch(inEngineFormOfState);
    return { outs: asProps(state) };
  }

  async delete(urn: string, id: string, props: Props, oldInputs: Props = {}): Promise<void> {
    const before = recorded(props, oldInputs) ?? { inputs: oldInputs, state: { projectId: Number(id), mirrors: [], unmanagedMirrors: [] } };
    await deleteProjectMirrors(id, before, this.contextFor(urn));
  }

  /** The secret paths of the inputs the engine records: the entries' URLs, and whatever the program made secret. */
  secretInputs(programSecrets: Iterable<string>): Set<string> {
    return new Set([...SECRET_INPUT_PATHS, ...programSecrets]);
  }

  secretOutputs(programSecrets: Iterable<string>): Set<string> {
    return new Set([...SECRET_OUTPUT_PATHS, ...programSecrets]);
  }
}

/**
 * GitLab's Project remote mirrors resource: one method per REST call.
 * https://docs.gitlab.com/api/remote_mirrors/
 */
import { InvalidInputError } from "../errors";
import { urlCredentialSecrets } from "../redact";
import {
  MAX_PAGE_ITEMS,
  publicKeyPayload,
  remoteMirrorListPayload,
  remoteMirrorPayload,
  toMirrorRequestBody,
  toRemoteMirror,
} from "./schemas";
import { decodeBody, type Transport } from "./transport";
import type { RemoteMirror, RemoteMirrorCreate, RemoteMirrorsApi, RemoteMirrorUpdate } from "./types";

const PER_PAGE = MAX_PAGE_ITEMS;
// GitLab caps a project at 10 enabled mirrors; this bound only stops a server that never ends its pages.
const MAX_PAGES = 1000;

function nextPage(headers: Readonly<Record<string, string | undefined>>, current: number): number | undefined {
  const value = headers["x-next-page"]?.trim();
  if (!value) return undefined;
  const page = Number(value);
  return Number.isInteger(page) && page > current ? page : undefined;
}

export function createRemoteMirrorsApi(transport: Transport): RemoteMirrorsApi {
  const mirrorRoute = "/projects/:id/remote_mirrors/:mirror_id" as const;

  return {
    async list(project) {
      const mirrors: RemoteMirror[] = [];
      let page: number | undefined = 1;
      for (let fetched = 0; page !== undefined && fetched < MAX_PAGES; fetched += 1) {
        const response = await transport({
          method: "GET",
          route: "/projects/:id/remote_mirrors",
          params: { id: project },
          query: { per_page: PER_PAGE, page },
          idempotent: true,
        });
        mirrors.push(...decodeBody(remoteMirrorListPayload, response).map(toRemoteMirror));
        page = nextPage(response.headers, page);
      }
      return mirrors;
    },

    async get(project, mirrorId) {
      const response = await transport({ method: "GET", route: mirrorRoute, params: { id: project, mirror_id: mirrorId }, idempotent: true });
      return toRemoteMirror(decodeBody(remoteMirrorPayload, response));
    },

    async publicKey(project, mirrorId) {
      const response = await transport({
        method: "GET",
        route: "/projects/:id/remote_mirrors/:mirror_id/public_key",
        params: { id: project, mirror_id: mirrorId },
        idempotent: true,
      });
      return decodeBody(publicKeyPayload, response).public_key;
    },

    async create(project, attrs: RemoteMirrorCreate) {
      if (typeof attrs?.url !== "string" || attrs.url === "") {
        throw new InvalidInputError("url", "is required to create a remote mirror");
      }
      const response = await transport({
        method: "POST",
        route: "/projects/:id/remote_mirrors",
        params: { id: project },
        body: toMirrorRequestBody(attrs),
        // GitLab may quote the password back in a refusal ("credentials bot / <password> were refused").
        secrets: urlCredentialSecrets(attrs.url),
        // A lost answer to a create may still have created the mirror: never repeat it blindly.
        idempotent: false,
      });
      return toRemoteMirror(decodeBody(remoteMirrorPayload, response));
    },

    async update(project, mirrorId, attrs: RemoteMirrorUpdate) {
      // PUT ignores url (it cannot be changed through the API), so it is never sent.
      const { url: _ignored, ...changes } = attrs as RemoteMirrorUpdate & { url?: unknown };
      const response = await transport({
        method: "PUT",
        route: mirrorRoute,
        params: { id: project, mirror_id: mirrorId },
        body: toMirrorRequestBody(changes),
        idempotent: true,
      });
      return toRemoteMirror(decodeBody(remoteMirrorPayload, response));
    },

    async sync(project, mirrorId) {
      // Repeating a sync only asks GitLab to push again (it answers 204 while one is running): safe to retry.
      await transport({
        method: "POST",
        route: "/projects/:id/remote_mirrors/:mirror_id/sync",
        params: { id: project, mirror_id: mirrorId },
        idempotent: true,
      });
    },

    async remove(project, mirrorId) {
      await transport({ method: "DELETE", route: mirrorRoute, params: { id: project, mirror_id: mirrorId }, idempotent: true });
    },
  };
}

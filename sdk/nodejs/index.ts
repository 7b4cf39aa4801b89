/**
 * gitlab-mirrors (also gitlab-mirrors/dynamic): the dynamic RemoteMirror, which needs nothing but
 * `npm install`. The provider plugin's resources are gitlab-mirrors/plugin (sdk/nodejs/plugin).
 */
export { RemoteMirror } from "./remote-mirror";
export type { RemoteMirrorArgs, RemoteMirrorOutputs } from "./remote-mirror";

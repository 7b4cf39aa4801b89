/** gitlab-mirrors: GitLab push mirrors as a Pulumi resource. */
export { RemoteMirror } from "./remote-mirror";
export type { RemoteMirrorArgs, RemoteMirrorOutputs } from "./remote-mirror";

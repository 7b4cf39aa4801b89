import { unwrapSecrets, wrapSecrets } from "../../provider/plugin/marshal";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET, value });

describe("secrets between the engine's wire form and plain values", () => {
  it("unwraps secrets at any depth and names the top-level keys that held one", () => {
    const { value, secretKeys } = unwrapSecrets({ url: secret("https://u:p@h/x.git"), hostKeys: ["a", secret("b")], enabled: true });
    expect(value).toEqual({ url: "https://u:p@h/x.git", hostKeys: ["a", "b"], enabled: true });
    expect([...secretKeys].sort()).toEqual(["hostKeys", "url"]);
  });

  it("wraps the named keys and drops undefined values", () => {
    expect(wrapSecrets({ url: "x", publicKey: undefined, enabled: false }, ["url", "publicKey"])).toEqual({ url: secret("x"), enabled: false });
  });

  it("round-trips", () => {
    const wire = { url: secret("x"), project: 1 };
    const { value, secretKeys } = unwrapSecrets(wire);
    expect(wrapSecrets(value, secretKeys)).toEqual(wire);
  });

  it("treats nothing as no properties", () => {
    expect(unwrapSecrets(undefined)).toEqual({ value: {}, secretKeys: new Set(), secretPaths: new Set() });
  });

  it("names where in a list's entries each secret was, and wraps exactly those paths back", () => {
    const wire = { project: 1, mirrors: [{ url: secret("https://u:p@h/a.git"), enabled: true }, { url: secret("https://u:p@h/b.git") }] };
    const { value, secretPaths } = unwrapSecrets(wire);
    expect([...secretPaths]).toEqual(["mirrors[].url"]);
    expect(value.mirrors).toEqual([{ url: "https://u:p@h/a.git", enabled: true }, { url: "https://u:p@h/b.git" }]);
    expect(wrapSecrets(value, secretPaths)).toEqual(wire);
  });

  it("wraps a nested path only where the field exists, and a whole key when the key itself is named", () => {
    const value = { mirrors: [{ mirrorId: 1, publicKey: "ssh-rsa AAA" }, { mirrorId: 2 }], projectId: 3 };
    expect(wrapSecrets(value, ["mirrors[].publicKey"])).toEqual({ mirrors: [{ mirrorId: 1, publicKey: secret("ssh-rsa AAA") }, { mirrorId: 2 }], projectId: 3 });
    expect(wrapSecrets(value, ["mirrors[].publicKey", "mirrors"])).toEqual({ mirrors: secret(value.mirrors), projectId: 3 });
  });
});

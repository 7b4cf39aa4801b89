import { unwrapSecrets, wrapSecrets } from "../../provider/plugin/marshal";
import { UNKNOWN } from "../../provider/mirror/unknown";

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

describe("the preview's unknown values between the engine's marker and the core's", () => {
  const ENGINE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

  it("hands the core its own marker wherever the engine sent its unknown, also inside a secret", () => {
    const { value, secretKeys } = unwrapSecrets({ project: ENGINE, url: secret(ENGINE), hostKeys: ["ssh-ed25519 AAA", ENGINE], mirrors: [{ url: ENGINE }, ENGINE] });
    expect(value).toEqual({ project: UNKNOWN, url: UNKNOWN, hostKeys: ["ssh-ed25519 AAA", UNKNOWN], mirrors: [{ url: UNKNOWN }, UNKNOWN] });
    expect([...secretKeys]).toEqual(["url"]);
  });

  it("answers with the engine's marker, secrets wrapped as usual, and round-trips", () => {
    expect(wrapSecrets({ url: UNKNOWN, enabled: UNKNOWN, hostKeys: [UNKNOWN], mirrors: [{ url: UNKNOWN }] }, ["url", "mirrors[].url"])).toEqual({
      url: secret(ENGINE),
      enabled: ENGINE,
      hostKeys: [ENGINE],
      mirrors: [{ url: secret(ENGINE) }],
    });
    const wire = { project: ENGINE, url: secret(ENGINE), hostKeys: [ENGINE] };
    const { value, secretKeys } = unwrapSecrets(wire);
    expect(wrapSecrets(value, secretKeys)).toEqual(wire);
  });
});

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
    expect(unwrapSecrets(undefined)).toEqual({ value: {}, secretKeys: new Set() });
  });
});

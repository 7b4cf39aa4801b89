import { engineAddressOf } from "../../provider/engine-log";

describe("engineAddressOf: where a provider host sends its log lines", () => {
  it.each([
    [["127.0.0.1:5555"], "127.0.0.1:5555"],
    [["--logtostderr", "-v=9", "127.0.0.1:5555"], "127.0.0.1:5555"],
    // A flag's value comes before the address (regression: it was taken for the address).
    [["--tracing", "http://127.0.0.1:1234", "127.0.0.1:5555"], "127.0.0.1:5555"],
    [["--tracing", "http://127.0.0.1:1234"], undefined],
    [["--logtostderr"], undefined],
    [[], undefined],
  ])("%j gives %s", (args, address) => {
    expect(engineAddressOf(args)).toBe(address);
  });
});

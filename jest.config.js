/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Each suite starts its own emulator on port 0; real git and the real CLI need generous limits.
  testTimeout: 60_000,
  verbose: true,
};

/** @type {import('jest').Config} */
module.exports = {
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testEnvironment: "node",
  globalSetup: "<rootDir>/tests/global-setup.js",
  testTimeout: 60000,
  // In-process tests load the package's own name from the TypeScript sources; tests that start a real
  // provider host (a separate node process) use the built dist/ tree through node_modules/pulumi-nodepools.
  moduleNameMapper: {
    "^pulumi-nodepools$": "<rootDir>/provider/index.ts",
    "^pulumi-nodepools/handlers$": "<rootDir>/provider/handlers.ts",
    "^pulumi-nodepools/emulator$": "<rootDir>/provider/emulator/index.ts",
  },
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
};

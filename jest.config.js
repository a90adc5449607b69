/** @type {import('jest').Config} */
module.exports = {
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, tsconfig: "tsconfig.json" }] },
  testEnvironment: "node",
  testTimeout: 60000,
  // The package name resolves through node_modules/pulumi-nodepools (a link to this checkout) to the
  // built dist/ tree; tests import the TypeScript sources directly instead.
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
};

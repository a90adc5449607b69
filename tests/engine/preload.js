// Preloaded (`node --require`) into the program process by the test engine.
//
// Node 20.20's util.inspect loops forever when it colours a stack frame such as
// "(/x/node_modules/@pulumi/config.ts:404:19)" (a node_modules path with no directory after the
// package scope), and @pulumi/pulumi's run entry point inspects every uncaught error with colours
// (cmd/run/error.js defaultErrorMessage), whose source-mapped frames look exactly like that. A program
// that throws, e.g. on a missing config value, would hang instead of failing. Errors are therefore
// inspected without colours (the test engine shows no colours anyway). @pulumi/pulumi 3.270 asks for
// Node >= 22; with the real CLI on Node 20.20 the same hang happens.
const util = require("util");

const original = util.inspect;
function containsError(value) {
  return value instanceof Error || (value !== null && typeof value === "object" && Object.values(value).some((v) => v instanceof Error));
}
function inspect(value, opts, ...rest) {
  if (opts && typeof opts === "object" && opts.colors && containsError(value)) opts = { ...opts, colors: false };
  return original.call(this, value, opts, ...rest);
}
Object.defineProperties(inspect, Object.getOwnPropertyDescriptors(original));
util.inspect = inspect;

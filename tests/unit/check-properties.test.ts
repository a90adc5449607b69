/**
 * Property-based tests of every resource's `check`: for arbitrary inputs it never throws, never makes a
 * request, never echoes a secret value in a failure reason, and accepts Pulumi's unknown value anywhere.
 */
import fc from "fast-check";
import { checkInputs } from "../../provider/core/fields/check";
import { setPath, UNKNOWN, type ResourceSpec } from "../../provider/core/fields/spec";
import { resourceSpecs } from "../../provider/resources/specs";

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.constantFrom("..", "../../etc/passwd", "a/b", "\u0000\u0007\u001b[31m", "%2e%2e", "\u202e\u200b", "'; DROP TABLE--", "${jndi:ldap://x}"),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, Number.NaN, Infinity, -0, 1e308),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything() },
  { weight: 2, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constant(UNKNOWN) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, fc.constant(UNKNOWN)), { maxLength: 3000 }) },
);

/** Inputs shaped by the field table: each field absent, unknown, or a hostile value. */
function shapedInputs(spec: ResourceSpec): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .array(fc.tuple(fc.constantFrom(...spec.fields.map((f) => f.path)), hostileValue), { maxLength: spec.fields.length })
    .map((entries) => {
      const inputs: Record<string, unknown> = structuredClone(spec.example ?? {});
      for (const [path, value] of entries) setPath(inputs, path, value);
      return inputs;
    });
}

// The CommonJS module objects (not the ES namespaces) so that their functions can be replaced.
const http = require("http");
const https = require("https");
const net = require("net");

let requests = 0;
beforeAll(() => {
  const count = () => {
    requests++;
    throw new Error("check must not make network requests");
  };
  jest.spyOn(http, "request").mockImplementation(count);
  jest.spyOn(https, "request").mockImplementation(count);
  jest.spyOn(net, "connect").mockImplementation(count);
});
afterAll(() => jest.restoreAllMocks());

describe.each(resourceSpecs.map((s) => [s.name, s] as const))("%s check", (_name, spec) => {
  it("has a valid example input for the cross-resource tests", () => {
    expect(spec.example).toBeDefined();
    expect(checkInputs(spec, spec.example).failures).toEqual([]);
  });

  it("never throws and never makes a request, whatever the input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), shapedInputs(spec)), (inputs) => {
        const r = checkInputs(spec, inputs);
        expect(Array.isArray(r.failures)).toBe(true);
        for (const f of r.failures) {
          expect(typeof f.property).toBe("string");
          expect(typeof f.reason).toBe("string");
        }
      }),
      { numRuns: 300 },
    );
    expect(requests).toBe(0);
  });

  it("never echoes a secret value in a failure reason", () => {
    const secrets = spec.fields.filter((f) => f.secret);
    if (secrets.length === 0) return;
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 200 }).filter((s) => s.trim().length >= 6),
        shapedInputs(spec),
        (secret, inputs) => {
          for (const f of secrets) setPath(inputs, f.path, secret);
          const r = checkInputs(spec, inputs);
          for (const f of r.failures) expect(f.reason).not.toContain(secret);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("accepts Pulumi's unknown value at every field and every section of a valid input", () => {
    const paths = new Set<string>();
    for (const f of spec.fields) {
      const keys = f.path.split(".");
      for (let i = 1; i <= keys.length; i++) paths.add(keys.slice(0, i).join("."));
    }
    for (const path of paths) {
      const inputs = structuredClone(spec.example ?? {});
      setPath(inputs, path, UNKNOWN);
      expect({ path, failures: checkInputs(spec, inputs).failures }).toEqual({ path, failures: [] });
    }
  });
});

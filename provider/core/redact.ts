/**
 * Redaction of secrets from text and values before they reach an error message, a log line or
 * Pulumi state. Two mechanisms work together:
 * - known secret values (access key secrets, passwords from inputs) are replaced wherever they occur,
 *   including their URL-encoded and JSON-escaped forms;
 * - values of sensitive-looking keys (`password`, `login_password`, `LoginPassword`, `secret`,
 *   `token`, `AccessKeySecret`, `Authorization`, ...) are replaced in JSON, query/form and header text.
 */

/** The replacement text. @public */
export const REDACTED = "***";

/**
 * Key fragments (case-insensitive) whose values are secret. `token` also covers `SecurityToken`;
 * `secret` covers `AccessKeySecret`, `client_secret`; `password` covers `login_password`.
 * @public
 */
export const SENSITIVE_KEY_FRAGMENTS: readonly string[] = [
  "password",
  "passwd",
  "secret",
  "token",
  "authorization",
  "credential",
  "private_key",
  "privatekey",
];

function keyPattern(): string {
  return `(?:${SENSITIVE_KEY_FRAGMENTS.join("|")})`;
}

/** True when an object key names a secret value. @public */
export function isSensitiveKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SENSITIVE_KEY_FRAGMENTS.some((f) => lower.includes(f));
}

function secretVariants(secret: string): string[] {
  const variants = new Set<string>([secret]);
  try {
    variants.add(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be URI-encoded; the raw form is still redacted
  }
  variants.add(JSON.stringify(secret).slice(1, -1));
  // A JSON string nested inside another JSON string doubles the escaping.
  variants.add(JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1));
  return [...variants].filter((v) => v.length > 0);
}

/**
 * Returns `text` with every configured secret value and every value of a sensitive-looking key
 * replaced by `***`. Empty secrets are ignored.
 * @public
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  if (!text) return text;
  let out = text;

  const values = new Set<string>();
  for (const s of secrets) {
    if (typeof s === "string" && s.length > 0) for (const v of secretVariants(s)) values.add(v);
  }
  // Longest first so a secret that contains another secret is replaced whole.
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    out = out.split(v).join(REDACTED);
  }

  const k = keyPattern();
  // JSON: "loginPassword": "value"
  out = out.replace(
    new RegExp(`("[\\w.$-]*${k}[\\w.$-]*"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi"),
    `$1"${REDACTED}"`,
  );
  // JSON nested in a JSON string: \"loginPassword\": \"value\"
  out = out.replace(
    new RegExp(`(\\\\"[\\w.$-]*${k}[\\w.$-]*\\\\"\\s*:\\s*)\\\\"(?:(?!\\\\").)*\\\\"`, "gi"),
    `$1\\"${REDACTED}\\"`,
  );
  // JSON with a non-string value: "password": 12345
  out = out.replace(
    new RegExp(`("[\\w.$-]*${k}[\\w.$-]*"\\s*:\\s*)(?:-?\\d[\\w.+-]*)`, "gi"),
    `$1"${REDACTED}"`,
  );
  // Header / log text: "Authorization: acs AK:signature" (the value runs to the end of the line).
  out = out.replace(/(\bauthorization\s*[:=]\s*)(?!\*\*\*)[^\r\n"'&]+/gi, `$1${REDACTED}`);
  // Unquoted key with a quoted value: password: "value", token='value'.
  out = out.replace(
    new RegExp(`(\\b[\\w.-]*${k}[\\w.-]*\\s*[=:]\\s*)(["'])(?!\\*\\*\\*\\2)(?:(?!\\2).)*\\2`, "gi"),
    `$1$2${REDACTED}$2`,
  );
  // Query, form and "key=value" / "key: value" text.
  out = out.replace(
    new RegExp(`(\\b[\\w.-]*${k}[\\w.-]*\\s*[=:]\\s*)(?!\\*\\*\\*)(?!["{\\[\\s])[^&\\s,;"'}\\]]+`, "gi"),
    `$1${REDACTED}`,
  );
  return out;
}

/**
 * Returns a deep copy of `value` with sensitive values replaced by `***`: any property whose key
 * looks sensitive (see {@link isSensitiveKey}), and any property at one of `secretPaths` (dot paths,
 * `*` matches any key or array index, e.g. `"nodeConfig.loginPassword"`, `"nodes.*.password"`).
 * Cycles become `"[Circular]"`. Primitives and non-plain objects (Buffers, Dates) are kept as they are.
 * @public
 */
export function redactObject<T>(value: T, secretPaths: readonly string[] = []): T {
  const paths = secretPaths.map((p) => p.split("."));
  const seen = new WeakSet<object>();

  const matchesPath = (path: string[]): boolean =>
    paths.some((p) => p.length === path.length && p.every((seg, i) => seg === "*" || seg === path[i]));

  const walk = (v: unknown, path: string[]): unknown => {
    if (v === null || typeof v !== "object") return v;
    const isArray = Array.isArray(v);
    const proto = Object.getPrototypeOf(v);
    if (!isArray && proto !== Object.prototype && proto !== null) return v;
    if (seen.has(v)) return "[Circular]";
    seen.add(v);
    let result: unknown;
    if (isArray) {
      result = (v as unknown[]).map((item, i) => {
        const p = [...path, String(i)];
        return matchesPath(p) && item !== undefined ? REDACTED : walk(item, p);
      });
    } else {
      const obj: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        const p = [...path, key];
        const sensitive = matchesPath(p) || (isSensitiveKey(key) && (item === null || typeof item !== "object"));
        obj[key] = sensitive && item !== undefined && item !== null && item !== "" ? REDACTED : walk(item, p);
      }
      result = obj;
    }
    seen.delete(v);
    return result;
  };

  return walk(value, []) as T;
}

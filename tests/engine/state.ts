/**
 * The stack's state: one JSON file per stack, shaped like the Pulumi file backend's checkpoint
 * (`{version: 3, checkpoint: {stack, config, latest: {manifest, secrets_providers, resources}}}` with
 * `apitype.ResourceV3` resources). Secret values are never written in plaintext: each one is stored as
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "..."}`, encrypted
 * with AES-256-GCM under a random per-stack key kept beside the state file (`<state>.key`).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { isObject, isSecret, SECRET_SIG, SIG, type PropertyMap, type Value } from "./properties";

export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  id?: string;
  parent?: string;
  /** Inputs and outputs in memory: plain JSON with secret values wrapped (`{[SIG]: SECRET_SIG, value}`). */
  inputs: PropertyMap;
  outputs: PropertyMap;
  dependencies: string[];
  propertyDependencies?: Record<string, string[]>;
  initErrors?: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
  external?: boolean;
  additionalSecretOutputs?: string[];
  importID?: string;
  provider?: string;
  ignoreChanges?: string[];
  /** Display only: property paths whose changes are summarised as "(hidden)". */
  hideDiffs?: string[];
  created?: string;
  modified?: string;
  /** A replaced resource whose deletion has not happened yet (create-before-delete interrupted). */
  delete?: boolean;
}

export interface StackState {
  stack: string;
  project: string;
  /** Stack config as last used (namespaced keys); secret values wrapped in memory, encrypted on disk. */
  config: Record<string, Value>;
  resources: ResourceState[];
}

export const emptyState = (project: string, stack: string): StackState => ({ project, stack, config: {}, resources: [] });

const KEY_BYTES = 32;

class Crypter {
  constructor(private readonly key: Buffer) {}

  encrypt(plain: Value): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(plain ?? null), "utf8"), cipher.final()]);
    return `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${body.toString("base64")}`;
  }

  decrypt(text: string): Value {
    const [v, iv, tag, body] = text.split(":");
    if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("state file: malformed secret ciphertext");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    return JSON.parse(plain);
  }
}

function encryptValues(v: Value, c: Crypter): Value {
  if (isSecret(v)) return { [SIG]: SECRET_SIG, ciphertext: c.encrypt(v.value) };
  if (Array.isArray(v)) return v.map((e) => encryptValues(e, c));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, encryptValues(e, c)]));
  return v;
}

function decryptValues(v: Value, c: Crypter): Value {
  if (isObject(v) && v[SIG] === SECRET_SIG) {
    if (typeof v.ciphertext === "string") return { [SIG]: SECRET_SIG, value: c.decrypt(v.ciphertext) };
    throw new Error("state file: a secret value is not encrypted");
  }
  if (Array.isArray(v)) return v.map((e) => decryptValues(e, c));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, decryptValues(e, c)]));
  return v;
}

/** Reads and writes one stack's state file; the key file is created on first save. */
export class StateStore {
  constructor(readonly file: string) {}

  get keyFile(): string {
    return `${this.file}.key`;
  }

  private crypter(create: boolean): Crypter {
    if (!fs.existsSync(this.keyFile)) {
      if (!create) throw new Error(`state file ${this.file} holds secrets but its key file ${this.keyFile} is missing`);
      fs.mkdirSync(path.dirname(this.keyFile), { recursive: true });
      fs.writeFileSync(this.keyFile, crypto.randomBytes(KEY_BYTES).toString("base64") + "\n", { mode: 0o600 });
    }
    const key = Buffer.from(fs.readFileSync(this.keyFile, "utf8").trim(), "base64");
    if (key.length !== KEY_BYTES) throw new Error(`key file ${this.keyFile} does not hold a 256-bit key`);
    return new Crypter(key);
  }

  exists(): boolean {
    return fs.existsSync(this.file);
  }

  raw(): string {
    return this.exists() ? fs.readFileSync(this.file, "utf8") : "";
  }

  load(project: string, stack: string): StackState {
    if (!this.exists()) return emptyState(project, stack);
    const doc = JSON.parse(this.raw());
    if (doc.version !== 3 || !doc.checkpoint) throw new Error(`state file ${this.file}: not a version 3 checkpoint`);
    const cp = doc.checkpoint;
    const c = this.raw().includes(SECRET_SIG) ? this.crypter(false) : new Crypter(Buffer.alloc(KEY_BYTES));
    const resources: ResourceState[] = (cp.latest?.resources ?? []).map((r: any) => ({
      ...r,
      inputs: decryptValues(r.inputs ?? {}, c),
      outputs: decryptValues(r.outputs ?? {}, c),
      dependencies: r.dependencies ?? [],
    }));
    return { stack: cp.stack, project: cp.latest?.manifest?.project ?? project, config: decryptValues(cp.config ?? {}, c) as StackState["config"], resources };
  }

  save(state: StackState): void {
    const c = this.crypter(true);
    const resources = state.resources.map((r) => {
      const out: Record<string, unknown> = {
        urn: r.urn,
        custom: r.custom,
        delete: r.delete || undefined,
        id: r.id || undefined,
        type: r.type,
        inputs: encryptValues(r.inputs, c),
        outputs: encryptValues(r.outputs, c),
        parent: r.parent || undefined,
        protect: r.protect || undefined,
        external: r.external || undefined,
        dependencies: r.dependencies.length ? r.dependencies : undefined,
        initErrors: r.initErrors?.length ? r.initErrors : undefined,
        provider: r.provider || undefined,
        propertyDependencies: r.propertyDependencies && Object.keys(r.propertyDependencies).length ? r.propertyDependencies : undefined,
        additionalSecretOutputs: r.additionalSecretOutputs?.length ? r.additionalSecretOutputs : undefined,
        importID: r.importID || undefined,
        retainOnDelete: r.retainOnDelete || undefined,
        ignoreChanges: r.ignoreChanges?.length ? r.ignoreChanges : undefined,
        hideDiffs: r.hideDiffs?.length ? r.hideDiffs : undefined,
        created: r.created,
        modified: r.modified,
      };
      return out;
    });
    const doc = {
      version: 3,
      checkpoint: {
        stack: state.stack,
        config: encryptValues(state.config, c),
        latest: {
          manifest: { time: new Date().toISOString(), magic: "", version: "pulumi-nodepools-test-engine", project: state.project },
          secrets_providers: { type: "test-engine-aes-256-gcm", state: { keyFile: path.basename(this.keyFile) } },
          resources,
        },
      },
    };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(doc, null, 2) + "\n");
    fs.renameSync(tmp, this.file);
  }
}

/**
 * Orders resources so that every resource comes after its parent and dependencies (stable otherwise). A URN
 * may appear twice (a replaced resource pending deletion); dependencies resolve to the live one.
 */
export function topoSort(resources: ResourceState[]): ResourceState[] {
  const byUrn = new Map<string, ResourceState>();
  for (const r of resources) if (!r.delete || !byUrn.has(r.urn)) byUrn.set(r.urn, r);
  const done = new Set<ResourceState>();
  const visiting = new Set<ResourceState>();
  const out: ResourceState[] = [];
  const visit = (r: ResourceState) => {
    if (done.has(r) || visiting.has(r)) return;
    visiting.add(r);
    for (const d of dependenciesOf(r)) {
      const dep = byUrn.get(d);
      if (dep && dep !== r) visit(dep);
    }
    visiting.delete(r);
    done.add(r);
    out.push(r);
  };
  resources.forEach(visit);
  return out;
}

/** Everything a resource depends on for ordering: parent, dependencies and property dependencies. */
export function dependenciesOf(r: ResourceState): string[] {
  const all = new Set<string>(r.dependencies);
  if (r.parent) all.add(r.parent);
  for (const urns of Object.values(r.propertyDependencies ?? {})) urns.forEach((u) => all.add(u));
  return [...all];
}

/**
 * Ownership marks: how this package recognises, after a crash, a cloud resource that it made itself.
 *
 * A create that is interrupted after the cloud accepted it (the dynamic-provider host killed by a cancelled CI job,
 * a lost answer) leaves a cloud resource that Pulumi did not record. The next `pulumi up` runs the create again,
 * finds the chosen name taken, and must neither make a second resource nor take over one that this stack did not
 * make. So every resource class passes an **owner key** (an input that never reaches the cloud: its change is
 * local), derived from the Pulumi identity of the resource, and the handlers write a short **mark** derived from it
 * onto what they create, where the API has a field that can carry it (a tag, a Kubernetes label, the description).
 * A same-named resource that carries this resource's mark is adopted; one with another mark, or none, is refused
 * with the import command. docs/ownership.md lists the mark of each resource.
 *
 * Pure functions only (no Pulumi import): the handlers load this inside the provider host.
 */
import { createHash } from "crypto";
import { z } from "zod";
import type { FieldSpec } from "./fields/spec";

/** The tag key (ACK ECS tags) and Kubernetes label key (ModelArts) that carry the mark. */
export const OWNER_MARK_KEY = "pulumi-nodepools-owner";
/** Input path of the owner key in every field table. */
export const OWNER_KEY_PATH = "ownerKey";

/**
 * The owner key of a resource: `<project>/<stack>/<name>`, or `<parent URN>/<name>` for a resource with a parent
 * (the parent's URN carries project and stack, and two components that each own a resource of the same name get
 * different keys). The resource type is not part of the key but of the mark ({@link ownerMark}): a mark is only
 * ever compared with resources of one type. This is the format Batch Compute has always used for its
 * `idempotencyKey`, so its create tokens stay the same across package versions.
 */
export function ownerKey(project: string, stack: string, name: string, parentUrn?: string): string {
  return parentUrn ? `${parentUrn}/${name}` : `${project}/${stack}/${name}`;
}

/**
 * The mark written to the cloud: 32 hex digits of a SHA-256 over the resource type and the owner key. Short and
 * plain enough for every carrier (an ECS tag value allows 128 characters, a Kubernetes label value 63 letters,
 * digits, "-", "_" and "."), and it tells nothing about project or stack names to someone who can read the tags.
 */
export function ownerMark(kind: string, key: string): string {
  return createHash("sha256").update(`${kind}\n${key}`).digest("hex").slice(0, 32);
}

/** The mark for these inputs, or undefined when they carry no owner key (inputs not made by a resource class). */
export function markOf(kind: string, props: Record<string, unknown>): string | undefined {
  const key = props[OWNER_KEY_PATH];
  return typeof key === "string" && key !== "" ? ownerMark(kind, key) : undefined;
}

/**
 * The `ownerKey` row of a field table: a package setting that only the next create reads, so changing it neither
 * replaces nor calls the cloud, and is not even a diff. `carrier` says where this resource's mark goes.
 */
export function ownerKeyField(carrier: string): FieldSpec {
  return {
    path: OWNER_KEY_PATH,
    type: z.string().min(1).max(2048),
    change: { kind: "local", source: "package setting" },
    compare: false,
    doc:
      "Owner key of the resource; the resource class sets it from project, stack, parent and name. " +
      `${carrier} See docs/ownership.md. Changing it calls no API; it is used by the next create.`,
  };
}

// ---- ECS-style tag lists ([{key, value}]) ---------------------------------------------------------------------

type Tag = { key?: unknown; value?: unknown };

/** The tags with the mark added (replacing any earlier mark). */
export function withOwnerTag<T extends Tag>(tags: T[] | undefined, mark: string): Array<T | { key: string; value: string }> {
  return [...withoutOwnerTag(tags ?? []), { key: OWNER_MARK_KEY, value: mark }];
}

/** The tags without the mark: what the program set. */
export function withoutOwnerTag<T extends Tag>(tags: T[]): T[] {
  return tags.filter((t) => t?.key !== OWNER_MARK_KEY);
}

export function ownerTagOf(tags: unknown): string | undefined {
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t: Tag) => t?.key === OWNER_MARK_KEY) as Tag | undefined;
  return typeof tag?.value === "string" ? tag.value : undefined;
}

// ---- label maps ({key: value}) ----------------------------------------------------------------------------------

export function withOwnerLabel(labels: Record<string, unknown> | undefined, mark: string): Record<string, unknown> {
  return { ...(labels ?? {}), [OWNER_MARK_KEY]: mark };
}

/** The labels without the mark; undefined when nothing else is left (the service leaves out an empty map). */
export function withoutOwnerLabel(labels: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!labels) return labels;
  const { [OWNER_MARK_KEY]: _mark, ...rest } = labels;
  return Object.keys(rest).length ? rest : undefined;
}

export function ownerLabelOf(labels: unknown): string | undefined {
  if (labels === null || typeof labels !== "object") return undefined;
  const v = (labels as Record<string, unknown>)[OWNER_MARK_KEY];
  return typeof v === "string" ? v : undefined;
}

// ---- free-text descriptions ------------------------------------------------------------------------------------

const DESCRIPTION_MARK = new RegExp(`\\s*\\[${OWNER_MARK_KEY}=([0-9a-f]+)\\]$`);

/** The description with ` [pulumi-nodepools-owner=<mark>]` at its end (the whole text when there is none). */
export function withDescriptionMark(description: string | undefined, mark: string): string {
  const text = withoutDescriptionMark(description) ?? "";
  return `${text}${text ? " " : ""}[${OWNER_MARK_KEY}=${mark}]`;
}

/** The description the program set: the mark removed; undefined when nothing else is left. */
export function withoutDescriptionMark(description: string | undefined): string | undefined {
  if (typeof description !== "string") return description;
  const text = description.replace(DESCRIPTION_MARK, "");
  return text === "" ? undefined : text;
}

export function descriptionMarkOf(description: unknown): string | undefined {
  return typeof description === "string" ? DESCRIPTION_MARK.exec(description)?.[1] : undefined;
}

/** Text that a user value must not contain, so that it is never taken for (or hides) a mark. */
export const DESCRIPTION_MARK_PREFIX = `[${OWNER_MARK_KEY}=`;

/** Pulumi URNs: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; type: string; name: string } {
  const m = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/s.exec(urn);
  if (!m) throw new Error(`malformed URN "${urn}"`);
  const qualifiedType = m[3];
  const parts = qualifiedType.split("$");
  return { stack: m[1], project: m[2], qualifiedType, type: parts[parts.length - 1], name: m[4] };
}

/** The URN the engine gives a resource: the parent's qualified type is prefixed unless the parent is the stack. */
export function makeUrn(stack: string, project: string, type: string, name: string, parent?: string): string {
  let qualified = type;
  if (parent) {
    const p = parseUrn(parent);
    if (p.qualifiedType !== ROOT_STACK_TYPE) qualified = `${p.qualifiedType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

export const isDynamicType = (type: string): boolean => type.startsWith("pulumi-nodejs:dynamic");
export const isRootStack = (urn: string): boolean => {
  try {
    return parseUrn(urn).qualifiedType === ROOT_STACK_TYPE;
  } catch {
    return false;
  }
};

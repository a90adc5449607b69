/**
 * The secrets of the secrets-audit program, shared by the program and the test: distinctive canary values that must
 * never appear in plaintext in state, output, errors or `__provider` text. Every password, secret key and token
 * carries the marker {@link MARKER}, so that a truncated copy is caught too. The OSS access key id is a secret input
 * of the package (`secret: true`), but not a password: it carries no marker and may appear in the cloud's request log.
 */

/** In every password, secret key and token below; found anywhere means a leak, even a cut-off one. */
export const MARKER = "CNRY";

export type Variant = "sec" | "pln";
export const VARIANTS: readonly Variant[] = ["sec", "pln"];

/** The fixed cloud objects the program's resources live in (seeded in the emulator by the test). */
export const FIXTURES = {
  region: "cn-hangzhou",
  ackCluster: "c0a0d17a0d17a0d17a0d17a0d17a0d17",
  ensCluster: "eck-a0d17a0d",
  ensRegion: "cn-guiyang-14",
  efloCluster: "i100000000000000000001",
  modelartsPool: "pool-audit",
  huaweiRegion: "cn-north-4",
} as const;

/** The generation whose ACK passwords break the ACK password rules (only letters), so that the check fails. */
export const INVALID_GEN = 4;

/**
 * The secret inputs of generation `gen` (the stack config `gen`; changing it changes every one of them).
 * Passwords meet the ACK rules (8-30 characters, three of four classes) and contain characters that URL-encoding
 * and JSON-escaping change; except in {@link INVALID_GEN}.
 */
export function secretInputs(gen: number, v: Variant) {
  const V = v === "sec" ? "Sec" : "Pln";
  return {
    ackLoginPassword: gen === INVALID_GEN ? `${MARKER}Ack${V}weakpassword` : `${MARKER}Ack${V}g${gen}!+/"x`,
    ensPassword: `${MARKER}Ens${V}g${gen}&=%x`,
    efloLoginPassword: `${MARKER}Eflo${V}g${gen}#?x`,
    ossAccessKeyId: `LTAIoss${V}KeyIdG${gen}`,
    ossAccessKeySecret: `${MARKER}OssKeySecret${V}g${gen}+/=`,
    ossSecurityToken: `${MARKER}OssStsToken${V}g${gen}+/==`,
  };
}

/** The cloud credentials of one run: `cfg` from stack config, `env` from the environment. */
export function credentials(source: "cfg" | "env") {
  const S = source.toUpperCase();
  return {
    alibaba: {
      accessKeyId: `LTAI5tAudit${S}KeyId01`,
      accessKeySecret: `${MARKER}AliAccessKeySecret${S}+/=`,
      securityToken: `${MARKER}AliStsToken${S}+/=aBc`,
      accountId: "5000000000000101",
    },
    huawei: {
      accessKeyId: `HWAUDIT${S}AK0000000001`,
      accessKeySecret: `${MARKER}HwSecretKey${S}+/=`,
      securityToken: `${MARKER}HwSecurityToken${S}+/=dEf`,
      accountId: "5000000000000102",
    },
  };
}

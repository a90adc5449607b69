export * as ack from "./ack";
export * as eflo from "./eflo";
export * as ens from "./ens";
export * as batchcompute from "./batchcompute";

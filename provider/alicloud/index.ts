export * as ack from "./ack";
export * as eflo from "./eflo";

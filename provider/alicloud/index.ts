export * as ack from "./ack";

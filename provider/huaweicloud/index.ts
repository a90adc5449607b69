export * as modelarts from "./modelarts";

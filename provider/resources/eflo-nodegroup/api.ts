/**
 * The eflo-controller (2022-12-15) calls this resource makes, as typed functions over the shared Alibaba client.
 * RPC style, `POST /` with the parameters in a form body and object parameters as JSON strings, as the official
 * SDK sends them (see shared/reference/cloud-apis.md sections 1.2 and 4.3).
 */
import { alibabaClient } from "../../core/alibaba";
import { CloudApiError } from "../../core/errors";
import type { Runtime } from "../../core/runtime";
import { EFLO_API_VERSION } from "./fields";

/**
 * Codes that mean the group (or its cluster, or a task) is gone. No product-specific code is documented; Terraform
 * uses the generic NotFound / InstanceNotFound (and HTTP 404, which the HTTP layer maps to notFound by itself);
 * ClusterNotFound, NodeGroupNotFound and TaskNotFound are the emulator's codes.
 */
export const EFLO_NOT_FOUND_CODES = ["NotFound", "InstanceNotFound", "ClusterNotFound", "NodeGroupNotFound", "TaskNotFound"];

/** Page size used when listing (the API's MaxResults). */
const PAGE_SIZE = 100;
/** A safety bound on pages followed in one listing. */
const MAX_PAGES = 1000;

/** An item of ListNodeGroups `Groups` (NodeCount is a number there). */
export interface EfloGroupListItem {
  GroupId?: string;
  GroupName?: string;
  ClusterId?: string;
  ClusterName?: string;
  ZoneId?: string;
  MachineType?: string;
  ImageId?: string;
  ImageName?: string;
  Description?: string;
  NodeCount?: number;
  FileSystemMountEnabled?: boolean;
  VirtualGpuEnabled?: boolean;
  CreateTime?: string;
  UpdateTime?: string;
  [k: string]: unknown;
}

/** DescribeNodeGroup's body (NodeCount is a string there, as documented). */
export interface EfloGroupDetail {
  NodeGroupId?: string;
  NodeGroupName?: string;
  NodeGroupDescription?: string;
  ClusterId?: string;
  ClusterName?: string;
  Az?: string;
  MachineType?: string;
  ImageId?: string;
  ImageName?: string;
  KeyPairName?: string;
  LoginType?: string;
  NodeCount?: string;
  RamRoleName?: string;
  SystemDisk?: { Category?: string; PerformanceLevel?: string; Size?: number };
  UserData?: string;
  FileSystemMountEnabled?: boolean;
  VirtualGpuEnabled?: boolean;
  CreateTime?: string;
  UpdateTime?: string;
  [k: string]: unknown;
}

/** DescribeTask's body. */
export interface EfloTask {
  TaskState?: string;
  TaskType?: string;
  Message?: string;
  ClusterId?: string;
  CreateTime?: string;
  UpdateTime?: string;
  [k: string]: unknown;
}

export function isNotFound(e: unknown): boolean {
  return (
    e instanceof CloudApiError &&
    (e.kind === "notFound" || EFLO_NOT_FOUND_CODES.includes(e.code ?? "") || /instance not found/i.test(e.cloudMessage))
  );
}

export function efloApi(rt: Runtime, secrets: string[] = []) {
  const client = alibabaClient(rt, "eflo-controller", { version: EFLO_API_VERSION, notFoundCodes: EFLO_NOT_FOUND_CODES, secrets });
  const call = <T>(action: string, params: Record<string, unknown>, mutating: boolean) => client.rpc<T>({ action, params, mutating, form: true });

  /** Every group ListNodeGroups returns for these filters, following NextToken. */
  async function listAll(params: { ClusterId: string; NodeGroupId?: string }): Promise<EfloGroupListItem[]> {
    const out: EfloGroupListItem[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await call<{ Groups?: EfloGroupListItem[]; NextToken?: string }>("ListNodeGroups", { ...params, MaxResults: PAGE_SIZE, NextToken: token }, false);
      out.push(...(r.data?.Groups ?? []));
      token = r.data?.NextToken || undefined;
      if (!token) return out;
    }
    throw new CloudApiError({ operation: "ListNodeGroups", message: `more than ${MAX_PAGES} pages; giving up`, kind: "client" });
  }

  return {
    region: client.region,

    /** Synchronous: answers with the new group's id. */
    async createNodeGroup(params: { ClusterId: string; NodeGroup: Record<string, unknown>; NodeUnit?: Record<string, unknown> }) {
      const r = await call<{ NodeGroupId?: string; NodeGroupName?: string }>("CreateNodeGroup", params, true);
      if (!r.data?.NodeGroupId) {
        throw new CloudApiError({ operation: "CreateNodeGroup", status: r.status, message: "the response has no NodeGroupId", requestId: r.requestId, kind: "transient" });
      }
      return { nodeGroupId: r.data.NodeGroupId };
    },

    /**
     * The group as ListNodeGroups shows it, or undefined when it (or its cluster) is gone: Terraform's rule, an empty
     * list means not found. The id is compared too, so that an ignored filter never returns a stranger.
     */
    async findGroup(clusterId: string, nodeGroupId: string): Promise<EfloGroupListItem | undefined> {
      try {
        const groups = await listAll({ ClusterId: clusterId, NodeGroupId: nodeGroupId });
        return groups.find((g) => g.GroupId === nodeGroupId);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    /** Groups of the cluster with exactly this name (names are unique in a cluster). */
    async findGroupsByName(clusterId: string, name: string): Promise<EfloGroupListItem[]> {
      return (await listAll({ ClusterId: clusterId })).filter((g) => g.GroupName === name);
    },

    /** Undefined when the group is gone. */
    async describeNodeGroup(nodeGroupId: string): Promise<EfloGroupDetail | undefined> {
      try {
        const r = await call<EfloGroupDetail>("DescribeNodeGroup", { NodeGroupId: nodeGroupId }, false);
        return r.data ?? {};
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    /** Starts an asynchronous update; its task is polled with describeTask. */
    async updateNodeGroup(nodeGroupId: string, params: Record<string, unknown>): Promise<{ taskId?: string }> {
      const r = await call<{ TaskId?: string }>("UpdateNodeGroup", { NodeGroupId: nodeGroupId, ...params }, true);
      return { taskId: r.data?.TaskId || undefined };
    },

    async describeTask(taskId: string): Promise<EfloTask> {
      const r = await call<EfloTask>("DescribeTask", { TaskId: taskId }, false);
      return r.data ?? {};
    },

    /** False when the group was already gone. */
    async deleteNodeGroup(clusterId: string, nodeGroupId: string): Promise<boolean> {
      try {
        await call("DeleteNodeGroup", { ClusterId: clusterId, NodeGroupId: nodeGroupId }, true);
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
  };
}

export type EfloApi = ReturnType<typeof efloApi>;

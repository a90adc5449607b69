/**
 * Signature checks the emulated services plug in (see {@link Authenticator}). Alibaba V3 (ACS3-HMAC-SHA256) serves
 * ACK `cs`, ENS and eflo-controller; Batch Compute (ROA V1) and Huawei APIG get their own verifiers later.
 */
import { verifyAcs3 } from "../core/signing/alibaba";
import type { Authenticator } from "./framework";

export const acs3Authenticator: Authenticator = (req, accounts, now) =>
  verifyAcs3(
    { method: req.method, rawPath: req.rawPath, query: req.query, headers: req.headers, body: req.body },
    accounts.lookupSecret,
    now,
  );

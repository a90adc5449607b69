/**
 * The legacy ROA V1 signature check (`Authorization: acs AK:Signature`, HMAC-SHA1) for services whose gateway
 * accepts only that scheme (Batch Compute). The verifier lives beside the signer in core/signing/alibaba.ts, so
 * the two cannot drift apart.
 */
import { verifyRoaV1 } from "../core/signing/alibaba";
import type { Authenticator } from "./framework";

export const roaV1Authenticator: Authenticator = (req, accounts, now) =>
  verifyRoaV1(
    { method: req.method, rawPath: req.rawPath, query: req.query, headers: req.headers, body: req.body },
    accounts.lookupSecret,
    now,
  );

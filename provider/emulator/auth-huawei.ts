/**
 * Huawei Cloud pieces the emulated ModelArts service plugs in: the APIG AK/SK signature check
 * (`SDK-HMAC-SHA256`, verified against the emulator's account registry: an account's access key id and secret
 * are its AK/SK, its security token the `X-Security-Token`) and the Huawei error body.
 */
import { verifyHuawei } from "../core/signing/huawei";
import type { Authenticator, ErrorRenderer } from "./framework";

/** The response header that carries the request id on Huawei services. */
export const HUAWEI_REQUEST_ID_HEADER = "X-Request-Id";

export const huaweiAuthenticator: Authenticator = (req, accounts, now) =>
  verifyHuawei({ method: req.method, rawPath: req.rawPath, query: req.query, headers: req.headers, body: req.body }, accounts.lookupSecret, now);

/**
 * Service errors are `{"error_code", "error_msg"}`; gateway errors (codes `APIG.*` / `APIGW.*`: signature, date,
 * throttling) also carry `request_id`, as APIG answers them. The request id is in the `X-Request-Id` header too.
 */
export const huaweiErrorBody: ErrorRenderer = (err, ctx) =>
  /^APIGW?\./.test(err.code)
    ? { error_msg: err.message, error_code: err.code, request_id: ctx.requestId }
    : { error_code: err.code, error_msg: err.message };

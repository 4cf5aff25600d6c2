/**
 * A body that is not the multipart/form-data it claims to be (cut off before its closing boundary, another
 * boundary than the declared one, none declared) is the client's fault: 400, not an internal error. The parser
 * (busboy) says so only in plain Errors, without a code, so they are told apart by message.
 */
const MALFORMED = /unexpected end of multipart data|^Multipart: Boundary not found$|^Boundary required$/i;

export function isMalformedMultipart(error: Error & { code?: unknown }): boolean {
  return error.code === undefined && MALFORMED.test(error.message);
}

export const MALFORMED_MULTIPART = {
  code: 'E_MULTIPART',
  message: '上传内容不是完整的 multipart/form-data：请求体被截断、缺少结束分隔符，或分隔符与 Content-Type 中声明的不一致',
} as const;

/**
 * One log line a request, small enough to read and to keep: the request id, method and URL, the
 * status, the response time and the bytes each way. Headers (every response carries the whole CSP)
 * and the client's address are added at LOG_LEVEL=debug. Credentials are never logged: the value
 * of any header or query parameter named like one is replaced by "[redacted]".
 *
 *   {"level":30,...,"req":{"id":"…","method":"POST","url":"/v1/clean"},"res":{"statusCode":200},
 *    "responseTime":4,"reqBytes":180,"resBytes":412,"msg":"request completed"}
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

/**
 * A client's X-Request-Id is kept when it looks like an id: printable ASCII, at most 128
 * characters (a UUID is 36; 128 leaves room for trace ids without letting a header flood logs).
 */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Names that say a header or query parameter carries a credential: Authorization,
 * Proxy-Authorization, Cookie, X-API-Key, X-Auth-Token, ?api_key=, ?access_token=, ?password=...
 * Matched by what the name contains, so a client's own spelling of one is caught too.
 */
const CREDENTIAL_NAME = /auth|token|api[-_.]?key|^key$|[-_.]key$|secret|passw|^pass$|credential|cookie|session|signature|^sig$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

export function redactedHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) copy[name] = isCredentialName(name) ? '[redacted]' : value;
  return copy;
}

/** The URL with the value of every credential-like query parameter replaced; the rest as sent. */
export function redactedUrl(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const raw = eq < 0 ? pair : pair.slice(0, eq);
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as sent
      }
      return eq >= 0 && isCredentialName(name) ? `${raw}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * Bytes on the wire, headers included, since the previous logged request on the same connection:
 * exact for a body of any kind (chunked batches too) without reading it ourselves, which would
 * take it from the route that parses it.
 */
const counted = new WeakMap<Socket, { read: number; written: number }>();
function wireBytes(req: IncomingMessage): { reqBytes: number; resBytes: number } | undefined {
  const socket = req.socket as Socket | undefined;
  if (!socket) return undefined;
  const before = counted.get(socket) ?? { read: 0, written: 0 };
  const now = { read: socket.bytesRead, written: socket.bytesWritten };
  counted.set(socket, now);
  return { reqBytes: now.read - before.read, resBytes: now.written - before.written };
}

interface SerializedReq {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

export function requestLog(logger: Logger): HttpLogger {
  const debug = () => logger.isLevelEnabled('debug');
  const withBytes = (req: IncomingMessage, fields: object) => ({ ...fields, ...wireBytes(req) });
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Client mistakes are routine for a service fed by crawlers: info, not warnings.
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, _res, fields) => withBytes(req, fields),
    customErrorObject: (req, _res, _err, fields) => withBytes(req, fields),
    serializers: {
      req(req: SerializedReq) {
        const line: SerializedReq = { id: req.id, method: req.method, url: redactedUrl(req.url) };
        if (debug()) Object.assign(line, { remoteAddress: req.remoteAddress, headers: redactedHeaders(req.headers ?? {}) });
        return line;
      },
      res(res: { statusCode?: number; headers?: Record<string, unknown> }) {
        return debug() ? { statusCode: res.statusCode, headers: redactedHeaders(res.headers ?? {}) } : { statusCode: res.statusCode };
      },
    },
    // Liveness and readiness probes and metric scrapes every few seconds would drown the useful lines.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
  });
}

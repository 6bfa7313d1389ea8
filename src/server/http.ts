/** Small HTTP helpers shared by the routers. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from './problems';

/**
 * For `.all()` after a route's real methods: OPTIONS answers 204 with `Allow`, anything else 405.
 * HEAD is allowed wherever GET is (Express answers it from the GET handler).
 */
export function onlyMethods(...methods: string[]): RequestHandler {
  const allowed = methods.includes('GET') ? [...methods, 'HEAD', 'OPTIONS'] : [...methods, 'OPTIONS'];
  const allow = allowed.join(', ');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', allow);
      res.status(204).end();
      return;
    }
    next(new HttpProblem('method-not-allowed', `${req.method} is not allowed on ${req.baseUrl}${req.path}; allowed: ${allow}`, { headers: { Allow: allow } }));
  };
}

/** The media type of the request body without parameters, lower-cased; '' when absent. */
export function mediaTypeOf(req: Request): string {
  const header = req.headers['content-type'];
  return header ? header.split(';')[0].trim().toLowerCase() : '';
}

export function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

export function isHtmlType(type: string): boolean {
  return type === 'text/html' || type === 'application/xhtml+xml';
}

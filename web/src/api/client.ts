/**
 * A small typed HTTP client for the Empty Chair API.
 * - same-origin cookies, JSON in and out;
 * - the CSRF token (from login / me) on every non-GET request;
 * - `{error: {code, message, details}}` bodies become an ApiError;
 * - 401 AUTH_REQUIRED sends the person back to the login page.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type AuthRequiredHandler = () => void;
let onAuthRequired: AuthRequiredHandler = () => {
  if (!window.location.pathname.startsWith('/login')) window.location.assign('/login');
};

/** The app installs a handler that clears its session and routes to the login page. */
export function setAuthRequiredHandler(handler: AuthRequiredHandler): void {
  onAuthRequired = handler;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Don't redirect on 401 (used by the session probe and the login form). */
  noAuthRedirect?: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toApiError(status: number, body: unknown, fallbackText: string): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    const code = typeof e.code === 'string' ? e.code : `HTTP_${status}`;
    const message = typeof e.message === 'string' ? e.message : fallbackText;
    return new ApiError(status, code, message, e.details);
  }
  return new ApiError(status, `HTTP_${status}`, fallbackText || `Request failed with status ${status}`);
}

export async function request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
  let url = path;
  if (opts.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }

  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the Empty Chair server. Check your connection and try again.');
  }

  if (res.status === 204) return undefined as T;

  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
  }

  if (!res.ok) {
    const error = toApiError(res.status, body, res.statusText);
    if (res.status === 401 && error.code === 'AUTH_REQUIRED' && !opts.noAuthRedirect) {
      setCsrfToken(null);
      onAuthRequired();
    }
    throw error;
  }
  return body as T;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

export interface UploadOptions {
  /** Called with the fraction (0–1) of the request body sent so far. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * POST a multipart form (a file upload) and parse the JSON answer like `request` does.
 * Uses XMLHttpRequest because fetch cannot report upload progress. The browser sets the
 * multipart content-type (with its boundary) itself.
 */
export function uploadForm<T>(path: string, form: FormData, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);

    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => opts.signal?.removeEventListener('abort', onAbort);

    if (opts.onProgress) {
      const report = opts.onProgress;
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable && e.total > 0) report(Math.min(1, e.loaded / e.total));
      });
      xhr.upload.addEventListener('load', () => report(1));
    }

    xhr.addEventListener('load', () => {
      done();
      const text = xhr.responseText;
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          body = undefined;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      const error = toApiError(xhr.status, body, xhr.statusText);
      if (xhr.status === 401 && error.code === 'AUTH_REQUIRED') {
        setCsrfToken(null);
        onAuthRequired();
      }
      reject(error);
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new ApiError(0, 'NETWORK_ERROR', 'Could not reach the Empty Chair server. Check your connection and try again.'));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });

    if (opts.signal?.aborted) {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    xhr.send(form);
  });
}

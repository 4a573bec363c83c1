import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpResponse, HttpTransport } from './https-transport.js';

function parseBody<T>(response: HttpResponse): NetworkResponse<T> {
  const text = response.body.toString('utf8');
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    body = { error: 'invalid_response', error_description: `The token endpoint answered HTTP ${response.status} with a body that is not JSON.` };
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/**
 * MSAL's network module over mailwright's HTTPS transport (same CA and `connectTo` settings as Graph).
 * `onResponse` sees every answer (status and headers), e.g. to learn when MSAL starts throttling;
 * `onNetworkError` every request that got no answer (MSAL replaces the error with its own
 * `network_error`, which no longer says what happened: refused, proxy, DNS, TLS).
 */
export function msalNetworkClient(transport: HttpTransport, onResponse?: (response: HttpResponse) => void, onNetworkError?: (error: unknown) => void): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await transport.request({ method, url, headers: options?.headers ?? {}, ...(options?.body !== undefined ? { body: options.body } : {}) }).catch((error: unknown) => {
      onNetworkError?.(error);
      throw error;
    });
    onResponse?.(response);
    return parseBody<T>(response);
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

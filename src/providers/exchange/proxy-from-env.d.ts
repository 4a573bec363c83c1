// Types of proxy-from-env 2 (the package ships none).
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, unless NO_PROXY matches; '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}

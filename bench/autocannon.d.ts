// The part of autocannon 9's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface RequestParams {
    method?: string;
    path?: string;
    headers: Record<string, string>;
    body?: string;
  }

  interface RequestSpec {
    setupRequest?(request: RequestParams): RequestParams;
    onResponse?(status: number, body: string): void;
  }

  interface Options {
    url: string;
    connections: number;
    duration: number;
    method?: string;
    pipelining?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: RequestSpec[];
  }

  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {}

  function autocannon(options: Options): Instance;
  export default autocannon;
}

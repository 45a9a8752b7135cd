/**
 * The few workerd/pool modules the Worker tests use (the full types live in @cloudflare/workers-types, which is not
 * installed). Only the root `tsc --noEmit` needs these; in workerd the modules are real.
 */
declare module 'cloudflare:workers' {
  /** The main Worker's exports (vitest-pool-workers `main`): `exports.default.fetch(...)` calls src/main-worker.ts. */
  export const exports: {
    default: { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> };
  };
  /** The bindings of wrangler.toml (`[vars]`). */
  export const env: Record<string, unknown>;
}

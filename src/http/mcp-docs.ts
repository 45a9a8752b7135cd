/**
 * The `/mcp` endpoint in the OpenAPI document (JSON-RPC over HTTP, so only described, not validated by OpenAPI).
 * Kept apart from src/http/mcp.ts so the app can document the route without importing the MCP SDK.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { DocumentStatus } from '../core/types.ts';

/** Every document status (for the MCP tools' output schemas). */
export const DOCUMENT_STATUS_VALUES = ['beslutad', 'yrkande', 'förslag', 'information'] as const satisfies readonly DocumentStatus[];

/** Adds `POST /mcp` to the OpenAPI document. */
export function registerMcpDocumentation(app: OpenAPIHono): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/mcp',
    tags: ['MCP'],
    summary: 'Model Context Protocol server (Streamable HTTP, stateless, JSON responses)',
    description:
      'JSON-RPC 2.0 messages of the Model Context Protocol; use an MCP client (e.g. the official SDK\'s ' +
      '`StreamableHTTPClientTransport`) rather than calling it by hand. Send `Accept: application/json, text/event-stream`. ' +
      'Tools: `search_plans` (query, committee?, year?, type?, k? → ranked passages), `ask_plans` (question, conversation?, ' +
      'committee?, year?, type? → cited answer), `list_documents` (committee?, type?, year?, limit?, offset? → a page and the total), `get_document` (id), ' +
      '`get_passage` (id, neighbours?). Each tool has a JSON Schema for its input and its structured output (`tools/list`). ' +
      'GET and DELETE answer 405: the server keeps no sessions.',
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({ jsonrpc: z.literal('2.0'), id: z.union([z.string(), z.number()]).optional(), method: z.string(), params: z.record(z.string(), z.unknown()).optional() })
              .openapi('JsonRpcRequest', { example: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }),
          },
        },
      },
    },
    responses: {
      200: { description: 'JSON-RPC response', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
      202: { description: 'Notification accepted' },
      405: { description: 'Only POST' },
      406: { description: 'Accept must include application/json and text/event-stream' },
      429: { description: 'Rate limit exceeded; see Retry-After' },
    },
  });
}

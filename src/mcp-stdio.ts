/**
 * MCP server over stdio (`npm run -s mcp`, or `npx tsx src/mcp-stdio.ts`): the same tools as `/mcp`
 * (src/http/mcp.ts) for MCP clients that start a local process. Same environment variables as `npm start`
 * (CORPUS_DIR, LANCEDB_DIR, OPENAI_*, RERANK_*, …); the corpus folder is synced on start like the server does.
 *
 * stdout carries the protocol only: every log line goes to stderr.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ConfigError, createConsoleLogger, parseConfig } from './config.ts';
import { describeError } from './http/errors.ts';
import { createMcpServer } from './http/mcp.ts';
import { createNodeAssistantFromConfig } from './main-node.ts';

/** Starts the stdio server; resolves when stdin closes (then the index is closed). */
export async function runMcpStdio(env: Record<string, string | undefined> = process.env): Promise<number> {
  let config;
  try {
    config = parseConfig(env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Invalid configuration: ${describeError(error)}`}\n`);
    return 1;
  }
  // Both levels to stderr: stdout is the protocol channel.
  const logger = createConsoleLogger(config.logLevel, { log: (...parts: unknown[]) => console.error(...parts), error: (...parts: unknown[]) => console.error(...parts) });
  let node;
  try {
    node = await createNodeAssistantFromConfig(config, logger);
  } catch (error) {
    logger.error(`could not start the MCP server: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const server = createMcpServer({ assistant: node.assistant, logger });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolveClosed) => {
    transport.onclose = () => resolveClosed();
    process.stdin.once('end', () => resolveClosed());
  });
  await server.connect(transport);
  logger.info('MCP server on stdio ready', { corpusDir: config.corpusDir, indexDir: config.indexDir });
  await closed;
  await server.close().catch(() => undefined);
  await node.close().catch(() => undefined);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runMcpStdio().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`MCP server failed: ${describeError(error)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Node entry point (`npm start`): parse the configuration, build the assistant, serve the API and the
 * widget with @hono/node-server, shut down cleanly on SIGINT/SIGTERM. Wiring only.
 */
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createJsonlFeedbackSink } from './adapters/jsonl-feedback.ts';
import { createOpenAIChatModel } from './adapters/openai-chat.ts';
import { createRerankerFromSettings } from './adapters/rerank-client.ts';
import { createEmbedderFromConfig } from './adapters/openai-embedder.ts';
import { type AppConfig, ConfigError, createConsoleLogger, describeConfig, parseConfig } from './config.ts';
import { createApp } from './http/create-app.ts';
import { type Logger, describeError } from './http/errors.ts';
import { createMcpHttpHandler } from './http/mcp.ts';
import { createWidgetRoutes } from './http/widget-routes.ts';
import { type NodeAssistant, createNodeAssistant } from './node-assistant.ts';
import { buildWidgetScript } from '../widget/build.ts';

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  server: ServerType;
  /** Stops accepting connections, waits for open requests (at most `graceMs`), closes the index. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The assistant as the configuration describes it (embedder, LLM answerer, reranker, synonyms), over the index in
 * LANCEDB_DIR with the corpus folder synced. Shared by the HTTP server and the MCP stdio server.
 */
export async function createNodeAssistantFromConfig(config: AppConfig, logger: Logger): Promise<NodeAssistant> {
  const embedder = createEmbedderFromConfig(config.embedder);
  const chatModel = config.llmEnabled
    ? createOpenAIChatModel({ apiKey: config.openai.apiKey, baseURL: config.openai.baseURL, model: config.chatModel, timeoutMs: config.llmTimeoutMs })
    : undefined;
  const reranker = createRerankerFromSettings(config.rerank, logger);
  return createNodeAssistant({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    ...(config.indexStorageOptions ? { indexStorageOptions: config.indexStorageOptions } : {}),
    readOnly: config.indexReadOnly,
    indexRefreshSeconds: config.indexRefreshSeconds,
    embedder,
    chatModel,
    llmTimeoutMs: config.llmTimeoutMs,
    ...(config.synonymsFile ? { synonymsFile: config.synonymsFile } : {}),
    ...(reranker ? { reranker } : {}),
    logger,
  });
}

/** Builds everything from a parsed configuration and starts listening (port 0 = any free port). */
export async function startNodeServer(config: AppConfig, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createConsoleLogger(config.logLevel);
  logger.info('starting Planassistenten', describeConfig(config));

  const node = await createNodeAssistantFromConfig(config, logger);

  let widgetScript: Promise<string> | undefined;
  const widget = createWidgetRoutes({
    script: () =>
      (widgetScript ??= buildWidgetScript().catch((error: unknown) => {
        widgetScript = undefined; // try again on the next request
        throw error;
      })),
  });
  const app = createApp({
    assistant: node.assistant,
    feedback: createJsonlFeedbackSink({ file: resolve(config.feedbackFile) }),
    allowedOrigins: config.allowedOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    originDailyLimit: config.originDailyLimit,
    ...(config.evalApiKey ? { evalApiKey: config.evalApiKey } : {}),
    widget,
    mcp: createMcpHttpHandler({ assistant: node.assistant, logger }),
    logger,
  });

  const server = await new Promise<ServerType>((resolveServer, reject) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(started));
    started.once('error', reject);
  }).catch(async (error: unknown) => {
    await node.close().catch(() => undefined);
    throw error;
  });
  server.on('error', (error) => logger.error('server error', { error: describeError(error) }));

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${port}`;
  logger.info(`listening on ${url} (API docs: ${url}/api/docs, OpenAI-compatible: ${url}/v1, MCP: ${url}/mcp)`, { host: config.host, port });
  // Load the index's shared state in the background: questions that arrive meanwhile wait for the same load.
  const warming = performance.now();
  node.assistant
    .warm?.()
    .then(() => logger.info('index loaded', { ms: Math.round(performance.now() - warming) }))
    .catch((error: unknown) => logger.warn('loading the index ahead of the first question failed; it is loaded on the first question', { error: describeError(error) }));

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000): Promise<void> =>
    (closing ??= (async () => {
      await new Promise<void>((resolveClose) => {
        const force = setTimeout(() => {
          logger.warn('open connections did not finish in time; closing them');
          const closable = server as { closeAllConnections?: () => void };
          closable.closeAllConnections?.();
        }, graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolveClose();
        });
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await node.close();
    })());

  return { url, server, close };
}

/** `npm start`. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Invalid configuration: ${describeError(error)}`);
    process.exitCode = 1;
    return;
  }
  const logger = createConsoleLogger(config.logLevel);
  let running: RunningServer;
  try {
    running = await startNodeServer(config, { logger });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const hint = code === 'EADDRINUSE' ? ` (port ${config.port} is in use; set PORT)` : '';
    logger.error(`could not start: ${error instanceof Error ? error.message : String(error)}${hint}`, { error: describeError(error) });
    process.exitCode = 1;
    return;
  }

  const shutdown = (signal: string): void => {
    logger.info(`${signal} received: shutting down`);
    const hardStop = setTimeout(() => process.exit(1), 15_000);
    hardStop.unref();
    running.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error: describeError(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}

/**
 * Server configuration from environment variables: one zod schema, parsed once at start-up.
 * Takes the environment as an argument (never reads `process.env` itself); every error names the variable.
 */
import { z } from 'zod';
import { IndexLocationError, describeIndexLocation, isIndexUri, parseIndexLocation } from './adapters/index-location.ts';
import { type EmbedderConfig, embedderConfigFromEnv } from './adapters/openai-embedder.ts';
import type { Logger } from './http/errors.ts';

/** Log levels, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The parsed, validated configuration. */
export interface AppConfig {
  /** PORT, default 8787. */
  port: number;
  /** HOST, default 127.0.0.1 (set 0.0.0.0 in containers). */
  host: string;
  /** CORPUS_DIR (alias DATA_DIR), default `data/corpus`. */
  corpusDir: string;
  /** LANCEDB_DIR, default `data/index`: a folder, or `s3://bucket/prefix` (see `src/adapters/index-location.ts`). */
  indexDir: string;
  /** LanceDB storage options of an `s3://` index, from the `AWS_*` variables; absent for a folder. */
  indexStorageOptions?: Record<string, string>;
  /**
   * INDEX_READ_ONLY: the server never writes the index (no corpus sync at start); a replica of an index that one ingest
   * job writes. Default: true for an `s3://` index, false for a folder.
   */
  indexReadOnly: boolean;
  /**
   * INDEX_REFRESH_SECONDS, default 0: how often a read checks for a new index version written by another process
   * (LanceDB `readConsistencyInterval`; 0 = every read; at most 30, since every ingest removes versions older than a
   * minute).
   */
  indexRefreshSeconds: number;
  /** OPENAI_API_KEY / OPENAI_BASE_URL (shared by chat model and embedder). */
  openai: { apiKey?: string; baseURL?: string };
  /** Builtin hashed embedder unless EMBEDDING_MODEL is set together with OPENAI_API_KEY or OPENAI_BASE_URL. */
  embedder: EmbedderConfig;
  /** CHAT_MODEL, default `gpt-4o-mini`. */
  chatModel: string;
  /** True when OPENAI_API_KEY or OPENAI_BASE_URL is set: answers come from the LLM (extractive fallback). */
  llmEnabled: boolean;
  /** LLM_TIMEOUT_MS, default 2500: budget of the whole LLM attempt before the extractive fallback. */
  llmTimeoutMs: number;
  /** ALLOWED_ORIGINS, comma-separated origins or `*`; default none (same-origin only). */
  allowedOrigins: string[];
  /** FEEDBACK_FILE, default `data/feedback.jsonl`. */
  feedbackFile: string;
  /** SYNONYMS_FILE: an extra synonym table (`{"groups": [["fosterhem", "familjehem"], …]}`) merged into the builtin one. */
  synonymsFile?: string;
  /** RATE_LIMIT_PER_MINUTE per client IP on /api/chat and /api/search, default 60; 0 = off. */
  rateLimitPerMinute: number;
  /** ORIGIN_DAILY_LIMIT: requests per calling origin and UTC day on /api/chat and /api/search, default 0 = off. */
  originDailyLimit: number;
  /** EVAL_API_KEY: requests sending it in `x-eval-key` skip the rate limit and the origin budget; unset = off. */
  evalApiKey?: string;
  /** LOG_LEVEL, default `info`. */
  logLevel: LogLevel;
  /** RERANK_URL (+ RERANK_MODEL, RERANK_API_KEY, RERANK_TIMEOUT_MS default 1500): optional cross-encoder stage. */
  rerank?: { url: string; model?: string; apiKey?: string; timeoutMs: number };
}

/** Thrown by {@link parseConfig}; `issues` has one message per invalid variable. */
export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Unset and blank values count as missing. */
function present(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  return value ? value : undefined;
}

function integerVariable(name: string, min: number, max: number, fallback: number) {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      const value = present(raw);
      if (value === undefined) return fallback;
      const number = Number(value);
      if (!/^\d+$/.test(value) || number < min || number > max) {
        context.addIssue({ code: 'custom', message: `${name} must be an integer ${min}–${max}, got '${raw}'` });
        return z.NEVER;
      }
      return number;
    });
}

function textVariable(fallback: string) {
  return z
    .string()
    .optional()
    .transform((raw) => present(raw) ?? fallback);
}

const optionalText = z
  .string()
  .optional()
  .transform((raw) => present(raw));

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const environmentSchema = z
  .object({
    PORT: integerVariable('PORT', 1, 65_535, 8787),
    HOST: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = present(raw) ?? '127.0.0.1';
        if (/[\s/]/.test(value)) {
          context.addIssue({ code: 'custom', message: `HOST must be a host name or IP address such as 0.0.0.0 or 127.0.0.1, got '${raw}'` });
          return z.NEVER;
        }
        return value;
      }),
    DATA_DIR: optionalText,
    CORPUS_DIR: optionalText,
    LANCEDB_DIR: textVariable('data/index'),
    INDEX_READ_ONLY: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = present(raw)?.toLowerCase();
        if (value === undefined) return undefined;
        if (['1', 'true', 'yes', 'on'].includes(value)) return true;
        if (['0', 'false', 'no', 'off'].includes(value)) return false;
        context.addIssue({ code: 'custom', message: `INDEX_READ_ONLY must be true or false (or 1/0), got '${raw}'` });
        return z.NEVER;
      }),
    INDEX_REFRESH_SECONDS: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = present(raw);
        if (value === undefined) return 0;
        const number = Number(value);
        // At most 30: every ingest removes index versions older than a minute, so a replica must move on before that.
        if (!/^\d+(\.\d+)?$/.test(value) || number > 30) {
          context.addIssue({ code: 'custom', message: `INDEX_REFRESH_SECONDS must be a number of seconds 0–30 (0 = check on every read), got '${raw}'` });
          return z.NEVER;
        }
        return number;
      }),
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = present(raw);
        if (value !== undefined && !isHttpUrl(value)) {
          context.addIssue({ code: 'custom', message: `OPENAI_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1, got '${raw}'` });
          return z.NEVER;
        }
        return value;
      }),
    CHAT_MODEL: textVariable('gpt-4o-mini'),
    LLM_TIMEOUT_MS: integerVariable('LLM_TIMEOUT_MS', 100, 120_000, 2500),
    ALLOWED_ORIGINS: z
      .string()
      .optional()
      .transform((raw, context) => {
        const entries = (raw ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
        const origins: string[] = [];
        for (const entry of entries) {
          if (entry === '*') {
            origins.push('*');
            continue;
          }
          let origin: string | undefined;
          try {
            const url = new URL(entry);
            if ((url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash) origin = url.origin;
          } catch {
            origin = undefined;
          }
          if (!origin || entry.replace(/\/$/, '').toLowerCase() !== origin.toLowerCase()) {
            context.addIssue({
              code: 'custom',
              message: `ALLOWED_ORIGINS entries must be origins like https://goteborg.se or http://localhost:5173 (no path), or *; got '${entry}'`,
            });
            continue;
          }
          origins.push(origin);
        }
        return [...new Set(origins)];
      }),
    RERANK_URL: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = present(raw);
        if (value !== undefined && !isHttpUrl(value)) {
          context.addIssue({ code: 'custom', message: `RERANK_URL must be an http(s) URL such as http://127.0.0.1:8080/rerank, got '${raw}'` });
          return z.NEVER;
        }
        return value;
      }),
    RERANK_MODEL: optionalText,
    RERANK_API_KEY: optionalText,
    RERANK_TIMEOUT_MS: integerVariable('RERANK_TIMEOUT_MS', 50, 60_000, 1500),
    FEEDBACK_FILE: textVariable('data/feedback.jsonl'),
    SYNONYMS_FILE: z.string().optional().transform((raw) => present(raw)),
    RATE_LIMIT_PER_MINUTE: integerVariable('RATE_LIMIT_PER_MINUTE', 0, 1_000_000, 60),
    ORIGIN_DAILY_LIMIT: integerVariable('ORIGIN_DAILY_LIMIT', 0, 1_000_000_000, 0),
    EVAL_API_KEY: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = present(raw);
        if (value !== undefined && value.length < 16) {
          context.addIssue({ code: 'custom', message: `EVAL_API_KEY must be at least 16 characters (it bypasses the rate limit), got ${value.length}` });
          return z.NEVER;
        }
        return value;
      }),
    LOG_LEVEL: z
      .string()
      .optional()
      .transform((raw, context) => {
        const value = (present(raw) ?? 'info').toLowerCase();
        if (!(LOG_LEVELS as readonly string[]).includes(value)) {
          context.addIssue({ code: 'custom', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${raw}'` });
          return z.NEVER;
        }
        return value as LogLevel;
      }),
  })
  .transform((values) => ({
    port: values.PORT,
    host: values.HOST,
    corpusDir: values.CORPUS_DIR ?? values.DATA_DIR ?? 'data/corpus',
    indexDir: values.LANCEDB_DIR,
    indexReadOnly: values.INDEX_READ_ONLY ?? isIndexUri(values.LANCEDB_DIR),
    indexRefreshSeconds: values.INDEX_REFRESH_SECONDS,
    openai: {
      ...(values.OPENAI_API_KEY ? { apiKey: values.OPENAI_API_KEY } : {}),
      ...(values.OPENAI_BASE_URL ? { baseURL: values.OPENAI_BASE_URL } : {}),
    },
    chatModel: values.CHAT_MODEL,
    llmEnabled: Boolean(values.OPENAI_API_KEY || values.OPENAI_BASE_URL),
    llmTimeoutMs: values.LLM_TIMEOUT_MS,
    allowedOrigins: values.ALLOWED_ORIGINS,
    feedbackFile: values.FEEDBACK_FILE,
    ...(values.SYNONYMS_FILE ? { synonymsFile: values.SYNONYMS_FILE } : {}),
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    originDailyLimit: values.ORIGIN_DAILY_LIMIT,
    ...(values.EVAL_API_KEY ? { evalApiKey: values.EVAL_API_KEY } : {}),
    logLevel: values.LOG_LEVEL,
    ...(values.RERANK_URL
      ? {
          rerank: {
            url: values.RERANK_URL,
            ...(values.RERANK_MODEL ? { model: values.RERANK_MODEL } : {}),
            ...(values.RERANK_API_KEY ? { apiKey: values.RERANK_API_KEY } : {}),
            timeoutMs: values.RERANK_TIMEOUT_MS,
          },
        }
      : {}),
  }));

/**
 * Parses and validates the configuration from an environment object (pass `process.env`).
 * Collects every problem and throws one {@link ConfigError} listing them, each naming its variable.
 */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const issues: string[] = [];
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '');
      issues.push(issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`);
    }
  }
  // The embedder settings are shared with the ingest CLI: one parser for both.
  let embedder: EmbedderConfig | undefined;
  try {
    embedder = embedderConfigFromEnv(env);
  } catch (error) {
    issues.push(error instanceof Error ? error.message.replace(/^Invalid environment variable /, '') : String(error));
  }
  // An s3:// index needs its AWS_* settings (shared with the ingest CLI: one parser for both).
  let indexStorageOptions: Record<string, string> | undefined;
  let indexDir: string | undefined;
  if (parsed.success) {
    try {
      const location = parseIndexLocation(parsed.data.indexDir, env, 'LANCEDB_DIR');
      indexDir = location.uri;
      if (location.kind === 's3') indexStorageOptions = location.storageOptions;
    } catch (error) {
      if (!(error instanceof IndexLocationError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0 || !parsed.success || !embedder || !indexDir) throw new ConfigError(issues);
  return { ...parsed.data, indexDir, ...(indexStorageOptions ? { indexStorageOptions } : {}), embedder };
}

/** The configuration as safe-to-log fields (the API key is never included). */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    corpusDir: config.corpusDir,
    ...(config.indexStorageOptions
      ? describeIndexLocation({ kind: 's3', uri: config.indexDir, storageOptions: config.indexStorageOptions })
      : { indexDir: config.indexDir }),
    indexReadOnly: config.indexReadOnly,
    indexRefreshSeconds: config.indexRefreshSeconds,
    embedder: config.embedder.provider === 'builtin' ? 'builtin' : `openai:${config.embedder.model}`,
    llm: config.llmEnabled ? { model: config.chatModel, baseURL: config.openai.baseURL ?? 'https://api.openai.com/v1', timeoutMs: config.llmTimeoutMs } : 'off (extractive answers)',
    apiKey: config.openai.apiKey ? 'set' : 'unset',
    allowedOrigins: config.allowedOrigins,
    feedbackFile: config.feedbackFile,
    rateLimitPerMinute: config.rateLimitPerMinute,
    originDailyLimit: config.originDailyLimit,
    evalApiKey: config.evalApiKey ? 'set' : 'unset',
    logLevel: config.logLevel,
    rerank: config.rerank ? { url: config.rerank.url, model: config.rerank.model ?? '(server default)', timeoutMs: config.rerank.timeoutMs, apiKey: config.rerank.apiKey ? 'set' : 'unset' } : 'off',
  };
}

/**
 * A logger writing one line per event to stdout (debug/info) or stderr (warn/error):
 * `2025-01-31T12:00:00.000Z INFO message {"field":1}`. Levels below `level` are dropped.
 */
export function createConsoleLogger(level: LogLevel, sink: Pick<Console, 'log' | 'error'> = console): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const write = (name: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void => {
    if (LOG_LEVELS.indexOf(name) < threshold) return;
    let suffix = '';
    if (fields && Object.keys(fields).length > 0) {
      try {
        suffix = ` ${JSON.stringify(fields)}`;
      } catch {
        suffix = ' [unserialisable fields]';
      }
    }
    const line = `${new Date().toISOString()} ${name.toUpperCase()} ${message}${suffix}`;
    if (name === 'warn' || name === 'error') sink.error(line);
    else sink.log(line);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

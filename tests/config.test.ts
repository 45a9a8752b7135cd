/**
 * Configuration parsing: defaults, every variable, and errors that name the variable.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, createConsoleLogger, describeConfig, parseConfig } from '../src/config.ts';

function errorsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig', () => {
  it('has sensible defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config).toEqual({
      port: 8787,
      host: '127.0.0.1',
      corpusDir: 'data/corpus',
      indexDir: 'data/index',
      indexReadOnly: false,
      indexRefreshSeconds: 0,
      openai: {},
      embedder: { provider: 'builtin', dimensions: undefined },
      chatModel: 'gpt-4o-mini',
      llmEnabled: false,
      llmTimeoutMs: 2500,
      allowedOrigins: [],
      feedbackFile: 'data/feedback.jsonl',
      rateLimitPerMinute: 60,
      originDailyLimit: 0,
      logLevel: 'info',
    });
  });

  it('reads every variable; blank values count as unset', () => {
    const config = parseConfig({
      PORT: '3000',
      HOST: '0.0.0.0',
      CORPUS_DIR: '/srv/corpus',
      LANCEDB_DIR: '/srv/index',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      EMBEDDING_MODEL: 'text-embedding-3-small',
      CHAT_MODEL: 'llama3.1',
      LLM_TIMEOUT_MS: '2000',
      ALLOWED_ORIGINS: 'https://goteborg.se, http://localhost:5173/ ,https://goteborg.se',
      FEEDBACK_FILE: '/srv/feedback.jsonl',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'DEBUG',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      corpusDir: '/srv/corpus',
      indexDir: '/srv/index',
      openai: { apiKey: 'sk-test', baseURL: 'http://127.0.0.1:11434/v1' },
      embedder: { provider: 'openai', model: 'text-embedding-3-small', apiKey: 'sk-test', baseURL: 'http://127.0.0.1:11434/v1' },
      chatModel: 'llama3.1',
      llmEnabled: true,
      llmTimeoutMs: 2000,
      allowedOrigins: ['https://goteborg.se', 'http://localhost:5173'],
      feedbackFile: '/srv/feedback.jsonl',
      rateLimitPerMinute: 0,
      logLevel: 'debug',
    });
    expect(parseConfig({ PORT: '  ', HOST: '', OPENAI_API_KEY: '' })).toMatchObject({ port: 8787, host: '127.0.0.1', llmEnabled: false });
  });

  it('DATA_DIR is an alias of CORPUS_DIR; CORPUS_DIR wins', () => {
    expect(parseConfig({ DATA_DIR: 'docs' }).corpusDir).toBe('docs');
    expect(parseConfig({ DATA_DIR: 'docs', CORPUS_DIR: 'corpus' }).corpusDir).toBe('corpus');
  });

  it('the LLM is on with only a base URL (local server) or only a key; the embedder stays builtin without EMBEDDING_MODEL', () => {
    const local = parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' });
    expect(local.llmEnabled).toBe(true);
    expect(local.embedder.provider).toBe('builtin');
    expect(parseConfig({ OPENAI_API_KEY: 'sk-x' }).llmEnabled).toBe(true);
    expect(parseConfig({ ALLOWED_ORIGINS: '*' }).allowedOrigins).toEqual(['*']);
  });

  it.each([
    [{ PORT: 'abc' }, "PORT must be an integer 1–65535, got 'abc'"],
    [{ PORT: '0' }, "PORT must be an integer 1–65535, got '0'"],
    [{ PORT: '70000' }, "PORT must be an integer 1–65535, got '70000'"],
    [{ PORT: '80.5' }, "PORT must be an integer 1–65535, got '80.5'"],
    [{ LLM_TIMEOUT_MS: 'soon' }, "LLM_TIMEOUT_MS must be an integer 100–120000, got 'soon'"],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, "RATE_LIMIT_PER_MINUTE must be an integer 0–1000000, got '-1'"],
    [{ LOG_LEVEL: 'loud' }, "LOG_LEVEL must be one of debug, info, warn, error, silent, got 'loud'"],
    [{ OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL'],
    [{ ALLOWED_ORIGINS: 'goteborg.se' }, "ALLOWED_ORIGINS entries must be origins like https://goteborg.se or http://localhost:5173 (no path), or *; got 'goteborg.se'"],
    [{ ALLOWED_ORIGINS: 'https://goteborg.se/widget' }, 'ALLOWED_ORIGINS'],
    [{ HOST: 'my host' }, 'HOST must be a host name or IP address'],
    [{ EMBEDDING_MODEL: 'text-embedding-3-small' }, 'EMBEDDING_MODEL'],
  ])('names the variable for %j', (env, expected) => {
    const issues = errorsOf(env as Record<string, string>);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(expected);
  });

  it('reports every invalid variable at once, in the thrown message too', () => {
    let message = '';
    try {
      parseConfig({ PORT: 'abc', LOG_LEVEL: 'loud', RATE_LIMIT_PER_MINUTE: 'many' });
    } catch (error) {
      message = (error as Error).message;
      expect((error as ConfigError).issues).toHaveLength(3);
    }
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('RATE_LIMIT_PER_MINUTE');
  });

  it('describeConfig never contains the API key', () => {
    const described = JSON.stringify(describeConfig(parseConfig({ OPENAI_API_KEY: 'sk-very-secret', EMBEDDING_MODEL: 'm' })));
    expect(described).not.toContain('sk-very-secret');
    expect(described).toContain('openai:m');
  });
});

describe('createConsoleLogger', () => {
  it('drops levels below the configured one and writes warnings to stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    const logger = createConsoleLogger('warn', { log: (line: string) => out.push(line), error: (line: string) => err.push(line) });
    logger.debug('d');
    logger.info('i');
    logger.warn('w', { n: 1 });
    logger.error('e');
    expect(out).toEqual([]);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^\d{4}-\d\d-\d\dT.*Z WARN w \{"n":1\}$/);
    const silent: string[] = [];
    createConsoleLogger('silent', { log: (line: string) => silent.push(line), error: (line: string) => silent.push(line) }).error('x');
    expect(silent).toEqual([]);
  });
});

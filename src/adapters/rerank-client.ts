/**
 * HTTP client of a `/rerank` service (Cohere/Jina/vLLM/Infinity style and Hugging Face TEI), as a CrossEncoder.
 *
 * Request: `POST {url}` with `{model?, query, documents: string[], texts: string[], top_n}` (`texts` repeats
 * `documents` for TEI, which names the field so). Response: `{results: [{index, relevance_score}]}` or TEI's bare
 * array `[{index, score}]`. Runtime-neutral: uses only fetch.
 */
import { z } from 'zod';
import { createReranker, type CrossEncoder, type Reranker, type RerankerOptions } from '../core/retrieval/rerank.ts';

/** Options of {@link createRerankClient}. */
export interface RerankClientOptions {
  /** Endpoint; a URL whose path does not end in `/rerank` gets `/rerank` appended. */
  url: string;
  model?: string;
  apiKey?: string;
  /** Injected fetch (tests); default the global fetch. */
  fetch?: typeof fetch;
}

const ResultSchema = z.object({
  index: z.number().int().nonnegative(),
  relevance_score: z.number().optional(),
  score: z.number().optional(),
});
const ResponseSchema = z.union([z.array(ResultSchema), z.object({ results: z.array(ResultSchema) })]);

/** `http://host:8080` → `http://host:8080/rerank`; `https://api.example.com/v1/rerank` stays. */
export function rerankEndpoint(url: string): string {
  const parsed = new URL(url);
  if (!/\/rerank\/?$/.test(parsed.pathname)) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/rerank`;
  return parsed.toString();
}

/** Parses a rerank response body into `[{index, score}]`; throws on any other shape. */
export function parseRerankResponse(body: unknown): Array<{ index: number; score: number }> {
  const parsed = ResponseSchema.safeParse(body);
  if (!parsed.success) throw new Error('the reranker answered with an unexpected body (expected {results:[{index, relevance_score}]} or [{index, score}])');
  const results = Array.isArray(parsed.data) ? parsed.data : parsed.data.results;
  return results.map((result) => {
    const score = result.relevance_score ?? result.score;
    if (score === undefined) throw new Error('a rerank result has neither relevance_score nor score');
    return { index: result.index, score };
  });
}

/** A CrossEncoder over HTTP. Errors (status, body shape, network) are thrown; the core reranker falls back. */
export function createRerankClient(options: RerankClientOptions): CrossEncoder {
  const endpoint = rerankEndpoint(options.url);
  const doFetch = options.fetch ?? fetch;
  return {
    modelId: `rerank:${options.model ?? new URL(endpoint).host}`,
    async score(query, documents, callOptions = {}) {
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          ...(options.model ? { model: options.model } : {}),
          query,
          documents,
          texts: documents,
          top_n: documents.length,
        }),
        signal: callOptions.signal,
      });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw new Error(`the reranker at ${endpoint} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
      }
      return parseRerankResponse(await response.json());
    },
  };
}

/** The reranker of the `RERANK_*` settings (`AppConfig.rerank`), or undefined when none is configured. */
export function createRerankerFromSettings(
  settings: { url: string; model?: string; apiKey?: string; timeoutMs: number } | undefined,
  logger?: RerankerOptions['logger'],
): Reranker | undefined {
  if (!settings) return undefined;
  return createReranker({
    crossEncoder: createRerankClient({ url: settings.url, model: settings.model, apiKey: settings.apiKey }),
    timeoutMs: settings.timeoutMs,
    ...(logger ? { logger } : {}),
  });
}

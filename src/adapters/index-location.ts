/**
 * Where the LanceDB index lives: a local folder, or `s3://bucket/prefix` on S3 or an S3-compatible server (MinIO,
 * Ceph, s3rver …) with its connection settings from the standard `AWS_*` environment variables.
 *
 * Pure (no `node:*`, reads no environment itself): the server configuration, the ingest CLI and the tests pass the
 * environment in. Every problem is reported as a message naming the variable.
 */
import { z } from 'zod';

/** A parsed index location. */
export interface IndexLocation {
  /** `local`: a folder on this machine; `s3`: an object-store prefix. */
  kind: 'local' | 's3';
  /** What LanceDB connects to: the folder as given (resolve it against the working directory) or the `s3://` URI. */
  uri: string;
  /** LanceDB storage options (`aws_region`, `aws_endpoint`, …) for object stores; empty for local folders. */
  storageOptions: Record<string, string>;
}

/** Thrown by {@link parseIndexLocation}; `issues` has one message per problem, each naming its variable. */
export class IndexLocationError extends Error {
  constructor(public readonly issues: string[]) {
    super(issues.join('; '));
    this.name = 'IndexLocationError';
  }
}

/** True for `scheme://…` values (object-store URIs), false for folders (`data/index`, `/srv/index`, `C:\index`). */
export function isIndexUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim());
}

/** Unset and blank values count as missing. */
const optionalText = z
  .string()
  .optional()
  .transform((raw) => {
    const value = raw?.trim();
    return value ? value : undefined;
  });

function booleanVariable(name: string) {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      const value = raw?.trim().toLowerCase();
      if (!value) return undefined;
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      context.addIssue({ code: 'custom', message: `${name} must be true or false (or 1/0), got '${raw}'` });
      return z.NEVER;
    });
}

/** The `AWS_*` variables read for an `s3://` index (the names the AWS SDKs and LanceDB's object store use). */
const s3EnvironmentSchema = z.object({
  AWS_REGION: optionalText,
  AWS_DEFAULT_REGION: optionalText,
  AWS_ENDPOINT_URL_S3: optionalText,
  AWS_ENDPOINT_URL: optionalText,
  AWS_ENDPOINT: optionalText,
  AWS_ACCESS_KEY_ID: optionalText,
  AWS_SECRET_ACCESS_KEY: optionalText,
  AWS_SESSION_TOKEN: optionalText,
  AWS_ALLOW_HTTP: booleanVariable('AWS_ALLOW_HTTP'),
  AWS_VIRTUAL_HOSTED_STYLE_REQUEST: booleanVariable('AWS_VIRTUAL_HOSTED_STYLE_REQUEST'),
});

/** S3 bucket naming rules: 3–63 characters, lower-case letters, digits, dots and hyphens, a letter or digit at each end. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses an index location (`LANCEDB_DIR` or `--index`): a folder, or `s3://bucket/prefix` with storage options from
 * `env`. For S3: a region is required (`AWS_REGION` or `AWS_DEFAULT_REGION`; any value such as `us-east-1` for an
 * S3-compatible server); an endpoint (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` or `AWS_ENDPOINT`) is optional (default
 * AWS) and must be an http(s) URL, an `http://` one only with `AWS_ALLOW_HTTP=true`; `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY` come together (`AWS_SESSION_TOKEN` only with them) or not at all (then LanceDB's object store
 * takes credentials from the usual AWS chain: web identity, ECS or EC2 instance role).
 *
 * @param variable the name used in messages (`LANCEDB_DIR`, `--index`).
 * @throws IndexLocationError listing every problem.
 */
export function parseIndexLocation(value: string, env: Record<string, string | undefined>, variable = 'LANCEDB_DIR'): IndexLocation {
  const trimmed = value.trim();
  if (!trimmed) throw new IndexLocationError([`${variable} must not be empty`]);
  if (!isIndexUri(trimmed)) return { kind: 'local', uri: trimmed, storageOptions: {} };

  const issues: string[] = [];
  const scheme = trimmed.slice(0, trimmed.indexOf('://')).toLowerCase();
  if (scheme !== 's3') {
    throw new IndexLocationError([`${variable} must be a folder or s3://bucket/prefix, got '${trimmed}' (the ${scheme}:// scheme is not supported)`]);
  }
  const rest = trimmed.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/\/+$/, '');
  if (!BUCKET.test(bucket)) {
    issues.push(`${variable} must name an S3 bucket (3–63 lower-case letters, digits, dots or hyphens) as in s3://bucket/prefix, got '${trimmed}'`);
  }
  if (/[?#]/.test(rest) || /\/\//.test(prefix) || prefix.split('/').some((part) => part === '.' || part === '..')) {
    issues.push(`${variable}: the prefix of '${trimmed}' must be a plain path (no ?, #, //, . or .. parts)`);
  }

  const parsed = s3EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(issue.message);
    throw new IndexLocationError(issues);
  }
  const aws = parsed.data;
  const region = aws.AWS_REGION ?? aws.AWS_DEFAULT_REGION;
  if (!region) {
    issues.push(`${variable} is ${trimmed}: set AWS_REGION (or AWS_DEFAULT_REGION) to the bucket's region (any value such as us-east-1 for an S3-compatible server)`);
  }
  const endpointVariable = aws.AWS_ENDPOINT_URL_S3 ? 'AWS_ENDPOINT_URL_S3' : aws.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : 'AWS_ENDPOINT';
  const endpoint = aws.AWS_ENDPOINT_URL_S3 ?? aws.AWS_ENDPOINT_URL ?? aws.AWS_ENDPOINT;
  if (endpoint !== undefined) {
    let protocol: string | undefined;
    try {
      const url = new URL(endpoint);
      protocol = url.protocol;
      if (url.search || url.hash || url.username || url.password) protocol = undefined;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      issues.push(`${endpointVariable} must be an http(s) URL such as http://127.0.0.1:9000, got '${endpoint}'`);
    } else if (protocol === 'http:' && aws.AWS_ALLOW_HTTP !== true) {
      issues.push(`${endpointVariable} is ${endpoint} (plain http): set AWS_ALLOW_HTTP=true to allow unencrypted connections, or use https`);
    }
  }
  if (Boolean(aws.AWS_ACCESS_KEY_ID) !== Boolean(aws.AWS_SECRET_ACCESS_KEY)) {
    issues.push(
      aws.AWS_ACCESS_KEY_ID
        ? 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use the instance or web-identity role'
        : 'AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither to use the instance or web-identity role',
    );
  }
  if (aws.AWS_SESSION_TOKEN && !aws.AWS_ACCESS_KEY_ID) issues.push('AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  if (issues.length > 0) throw new IndexLocationError(issues);

  const storageOptions: Record<string, string> = { aws_region: region! };
  if (endpoint !== undefined) storageOptions.aws_endpoint = endpoint.replace(/\/+$/, '');
  if (aws.AWS_ACCESS_KEY_ID && aws.AWS_SECRET_ACCESS_KEY) {
    storageOptions.aws_access_key_id = aws.AWS_ACCESS_KEY_ID;
    storageOptions.aws_secret_access_key = aws.AWS_SECRET_ACCESS_KEY;
    if (aws.AWS_SESSION_TOKEN) storageOptions.aws_session_token = aws.AWS_SESSION_TOKEN;
  }
  if (aws.AWS_ALLOW_HTTP !== undefined) storageOptions.allow_http = String(aws.AWS_ALLOW_HTTP);
  if (aws.AWS_VIRTUAL_HOSTED_STYLE_REQUEST !== undefined) storageOptions.aws_virtual_hosted_style_request = String(aws.AWS_VIRTUAL_HOSTED_STYLE_REQUEST);
  return { kind: 's3', uri: prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`, storageOptions };
}

/** The location as safe-to-log fields: the URI, and for S3 the region, endpoint and whether keys are set (never the keys). */
export function describeIndexLocation(location: IndexLocation): Record<string, unknown> {
  if (location.kind === 'local') return { indexDir: location.uri };
  const options = location.storageOptions;
  return {
    indexDir: location.uri,
    s3: {
      region: options.aws_region,
      endpoint: options.aws_endpoint ?? '(AWS)',
      credentials: options.aws_access_key_id ? 'access key' : 'AWS default chain',
    },
  };
}

/**
 * A short reason for an object-store failure, read from LanceDB's error text (which carries the whole retry chain): the
 * S3 error code and message (`NoSuchBucket: The specified bucket does not exist`, `InvalidAccessKeyId: …`), a refused or
 * failed connection to the endpoint, or an HTTP status. Falls back to the first 300 characters of the message.
 */
export function explainStoreError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = /<Code>([^<]+)<\/Code>/.exec(message)?.[1];
  if (code) {
    const detail = /<Message>([^<]*)<\/Message>/.exec(message)?.[1];
    return detail ? `${code}: ${detail}` : code;
  }
  const connect = /(?:tcp connect error|error trying to connect)[^,]*,\s*([^,\s)]+)/.exec(message);
  if (connect || /kind: Connect\b/.test(message)) {
    const reason = /kind: (ConnectionRefused|TimedOut|HostUnreachable|NetworkUnreachable)/.exec(message)?.[1] ?? /dns error|failed to lookup address/i.exec(message)?.[0];
    return `cannot connect to the object store${connect ? ` at ${connect[1]}` : ''}${reason ? ` (${reason})` : ''}`;
  }
  const status = /status: (\d{3})\b/.exec(message)?.[1];
  if (status) return `the object store answered HTTP ${status}`;
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

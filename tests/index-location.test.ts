/**
 * Index locations: folders as before, `s3://bucket/prefix` with its AWS_* settings validated (every problem named), the
 * server's read-only default for object storage, and the ingest CLI's clear errors.
 */
import { describe, expect, it } from 'vitest';
import { IndexLocationError, describeIndexLocation, explainStoreError, isIndexUri, parseIndexLocation } from '../src/adapters/index-location.ts';
import { cleanupCutoff } from '../src/adapters/lancedb-store.ts';
import { ConfigError, describeConfig, parseConfig } from '../src/config.ts';
import { runIngestCli } from '../ingest/cli.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { sink } from './helpers/sink.ts';

const MINIO = {
  AWS_REGION: 'eu-north-1',
  AWS_ENDPOINT_URL: 'http://10.0.0.5:9000/',
  AWS_ALLOW_HTTP: '1',
  AWS_ACCESS_KEY_ID: 'plan-reader',
  AWS_SECRET_ACCESS_KEY: 'very-secret-key',
};

function issuesOf(value: string, env: Record<string, string | undefined>): string[] {
  try {
    parseIndexLocation(value, env);
  } catch (error) {
    expect(error).toBeInstanceOf(IndexLocationError);
    return (error as IndexLocationError).issues;
  }
  throw new Error(`expected ${value} to be rejected`);
}

describe('parseIndexLocation', () => {
  it('keeps folders as they are, whatever AWS_* says', () => {
    for (const folder of ['data/index', '/srv/planer/index', './index', 'C:\\index']) {
      expect(isIndexUri(folder)).toBe(false);
      expect(parseIndexLocation(folder, { AWS_ACCESS_KEY_ID: 'half' })).toEqual({ kind: 'local', uri: folder, storageOptions: {} });
    }
  });

  it('maps an s3:// location and the standard AWS variables to LanceDB storage options', () => {
    expect(parseIndexLocation('s3://planer-2026/stad/index/', MINIO)).toEqual({
      kind: 's3',
      uri: 's3://planer-2026/stad/index',
      storageOptions: {
        aws_region: 'eu-north-1',
        aws_endpoint: 'http://10.0.0.5:9000',
        allow_http: 'true',
        aws_access_key_id: 'plan-reader',
        aws_secret_access_key: 'very-secret-key',
      },
    });
    // AWS itself: region only, credentials from the role; the SDKs' alternative names are read too.
    expect(parseIndexLocation('s3://planer', { AWS_DEFAULT_REGION: 'eu-north-1' })).toEqual({ kind: 's3', uri: 's3://planer', storageOptions: { aws_region: 'eu-north-1' } });
    expect(
      parseIndexLocation('s3://planer/x', {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_S3: 'https://s3.example.org',
        AWS_ENDPOINT: 'http://ignored:1',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
        AWS_SESSION_TOKEN: 't',
        AWS_VIRTUAL_HOSTED_STYLE_REQUEST: 'false',
      }).storageOptions,
    ).toEqual({
      aws_region: 'us-east-1',
      aws_endpoint: 'https://s3.example.org',
      aws_access_key_id: 'a',
      aws_secret_access_key: 'b',
      aws_session_token: 't',
      aws_virtual_hosted_style_request: 'false',
    });
  });

  it('names every missing or invalid setting at once', () => {
    const issues = issuesOf('s3://planer/index', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4568', AWS_ACCESS_KEY_ID: 'only-the-id', AWS_ALLOW_HTTP: 'perhaps' });
    expect(issues.join('\n')).toMatch(/AWS_ALLOW_HTTP must be true or false.*'perhaps'/);
    expect(issuesOf('s3://planer/index', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4568', AWS_ACCESS_KEY_ID: 'only-the-id' })).toEqual([
      expect.stringMatching(/set AWS_REGION/),
      expect.stringMatching(/AWS_ENDPOINT_URL is http:\/\/127\.0\.0\.1:4568 \(plain http\): set AWS_ALLOW_HTTP=true/),
      expect.stringMatching(/AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/),
    ]);
    expect(issuesOf('s3://planer/index', { AWS_REGION: 'x', AWS_SECRET_ACCESS_KEY: 's' })).toEqual([expect.stringMatching(/AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID/)]);
    expect(issuesOf('s3://planer/index', { AWS_REGION: 'x', AWS_SESSION_TOKEN: 't' })).toEqual([expect.stringMatching(/AWS_SESSION_TOKEN is set without/)]);
    expect(issuesOf('s3://planer/index', { AWS_REGION: 'x', AWS_ENDPOINT: 'minio:9000' })).toEqual([expect.stringMatching(/AWS_ENDPOINT must be an http\(s\) URL.*'minio:9000'/)]);
  });

  it('rejects bad buckets, prefixes and other schemes, naming the variable', () => {
    const env = { AWS_REGION: 'us-east-1' };
    expect(issuesOf('s3://', env)[0]).toMatch(/^LANCEDB_DIR must name an S3 bucket/);
    expect(issuesOf('s3://Planer_Index/x', env)[0]).toMatch(/must name an S3 bucket/);
    expect(issuesOf('s3://planer/a/../b', env)[0]).toMatch(/must be a plain path/);
    expect(issuesOf('s3://planer/a?versionId=1', env)[0]).toMatch(/must be a plain path/);
    expect(issuesOf('gs://planer/index', env)).toEqual([expect.stringMatching(/^LANCEDB_DIR must be a folder or s3:\/\/bucket\/prefix.*gs:\/\/ scheme is not supported/)]);
    expect(() => parseIndexLocation('gs://planer/index', env, '--index')).toThrow(/^--index must be a folder or s3/);
  });

  it('describes a location without its keys', () => {
    const described = JSON.stringify(describeIndexLocation(parseIndexLocation('s3://planer/index', MINIO)));
    expect(described).toContain('s3://planer/index');
    expect(described).toContain('http://10.0.0.5:9000');
    expect(described).not.toContain('very-secret-key');
    expect(described).not.toContain('plan-reader');
  });
});

describe('server configuration of the index', () => {
  it('an s3:// index makes the server a read-only replica unless INDEX_READ_ONLY says otherwise', () => {
    const replica = parseConfig({ LANCEDB_DIR: 's3://planer/index', ...MINIO });
    expect(replica).toMatchObject({ indexDir: 's3://planer/index', indexReadOnly: true, indexRefreshSeconds: 0 });
    expect(replica.indexStorageOptions).toMatchObject({ aws_region: 'eu-north-1', aws_endpoint: 'http://10.0.0.5:9000' });
    expect(parseConfig({ LANCEDB_DIR: 's3://planer/index', ...MINIO, INDEX_READ_ONLY: 'false', INDEX_REFRESH_SECONDS: '2.5' })).toMatchObject({ indexReadOnly: false, indexRefreshSeconds: 2.5 });
    // Longer than 30 s a replica could still read a version the next ingest has removed.
    expect(() => parseConfig({ INDEX_REFRESH_SECONDS: '60' })).toThrow(/INDEX_REFRESH_SECONDS must be a number of seconds 0–30/);
    const folder = parseConfig({ ...MINIO, LANCEDB_DIR: '/srv/index', INDEX_READ_ONLY: 'yes' });
    expect(folder).toMatchObject({ indexDir: '/srv/index', indexReadOnly: true });
    expect(folder.indexStorageOptions).toBeUndefined();
    expect(JSON.stringify(describeConfig(replica))).not.toContain('very-secret-key');
  });

  it('reports index problems together with the other variables', () => {
    let error: unknown;
    try {
      parseConfig({ LANCEDB_DIR: 's3://planer/index', PORT: 'x', INDEX_READ_ONLY: 'maybe', INDEX_REFRESH_SECONDS: '-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT must be an integer');
    expect(message).toContain("INDEX_READ_ONLY must be true or false (or 1/0), got 'maybe'");
    expect(message).toContain("INDEX_REFRESH_SECONDS must be a number of seconds 0–30 (0 = check on every read), got '-1'");
    // The S3 settings are checked once the other variables are valid.
    expect(() => parseConfig({ LANCEDB_DIR: 's3://planer/index' })).toThrow(/LANCEDB_DIR is s3:\/\/planer\/index: set AWS_REGION/);
  });
});

describe('ingest CLI with an s3:// index', () => {
  it('stops with exit code 2 and names the missing settings before touching anything', async () => {
    const stdout = sink();
    const stderr = sink();
    const code = await runIngestCli(['--index', 's3://planer/index'], { AWS_ACCESS_KEY_ID: 'id' }, { stdout, stderr, embedder: createHashedEmbedder(), interactive: false });
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/^ingest: invalid index location: --index is s3:\/\/planer\/index: set AWS_REGION.*; AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/);
    expect(stdout.text()).toBe('');
  });
});

describe('cleanupCutoff: which old index versions an ingest may remove', () => {
  const at = (iso: string) => new Date(iso);
  const limit = at('2026-12-02T12:00:00Z').getTime(); // "a minute ago"

  it('keeps the version that was the latest until this run, however old it is', () => {
    const versions = [
      { version: 3, timestamp: at('2026-12-01T08:00:00Z') }, // superseded yesterday
      { version: 4, timestamp: at('2026-12-01T09:00:00Z') }, // the latest until this run: replicas may still read it
      { version: 5, timestamp: at('2026-12-02T12:00:30Z') }, // this run
      { version: 6, timestamp: at('2026-12-02T12:00:40Z') },
    ];
    // LanceDB removes the versions created before the date: 3 goes, 4 stays.
    expect(cleanupCutoff([...versions].reverse(), limit)).toEqual(at('2026-12-01T09:00:00Z'));
  });

  it('removes nothing when every version is recent, and all but the latest when none is', () => {
    expect(cleanupCutoff([{ version: 1, timestamp: at('2026-12-02T12:00:10Z') }, { version: 2, timestamp: at('2026-12-02T12:00:20Z') }], limit)).toEqual(
      at('2026-12-02T12:00:10Z'),
    );
    expect(cleanupCutoff([{ version: 1, timestamp: at('2026-12-01T10:00:00Z') }, { version: 2, timestamp: at('2026-12-01T11:00:00Z') }], limit)).toEqual(new Date(limit));
  });
});

describe('explainStoreError', () => {
  it('shortens LanceDB object-store errors to their reason', () => {
    const denied = new Error(
      'lance error: LanceError(IO): Generic S3 error: ListRequest { source: RetryError { status: 403, body: Some("<?xml version=\\"1.0\\"?><Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>") } }',
    );
    expect(explainStoreError(denied)).toBe('InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.');
    const refused = new Error(
      'Failed to connect to namespace: IO { source: Generic { store: "S3", source: ListRequest { source: RetryError(RetryErrorImpl { inner: Http(HttpError { kind: Connect, source: reqwest::Error { kind: Request, source: hyper_util::client::legacy::Error(Connect, ConnectError("tcp connect error", 10.1.2.3:9000, Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })) } }) }) } }',
    );
    expect(explainStoreError(refused)).toBe('cannot connect to the object store at 10.1.2.3:9000 (ConnectionRefused)');
    expect(explainStoreError(new Error('Generic S3 error: RetryError { status: 503, body: None }'))).toBe('the object store answered HTTP 503');
    expect(explainStoreError(new Error('x'.repeat(400)))).toHaveLength(301);
  });
});

/**
 * A local S3-compatible server for trying the object-storage index by hand (README, *The index on object storage*):
 * s3rver on 127.0.0.1 with one bucket, objects written atomically as on S3 (see atomic-s3rver.ts). Credentials S3RVER/S3RVER.
 *
 *   npx tsx tests/helpers/local-s3.ts [--dir /tmp/planer-s3] [--port 4568] [--bucket planer]
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';
import { makeS3rverAtomic } from './atomic-s3rver.ts';

const { values } = parseArgs({
  options: { dir: { type: 'string', default: '/tmp/planer-s3' }, port: { type: 'string', default: '4568' }, bucket: { type: 'string', default: 'planer' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`local-s3: --port must be an integer 0–65535, got '${values.port}'`);
  process.exit(2);
}
await mkdir(values.dir, { recursive: true });
makeS3rverAtomic();
const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: values.dir, configureBuckets: [{ name: values.bucket }] });
const address = await server.run();
console.log(`S3-compatible server on http://127.0.0.1:${address.port}, bucket '${values.bucket}', data in ${values.dir} (Ctrl-C stops it)`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

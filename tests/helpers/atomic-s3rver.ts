/**
 * s3rver 3.7.1 writes an object in place and answers the PUT before the write has finished, so a reader can get an
 * empty or half-written object (LanceDB then fails on a manifest: "Range started at 0 and ended at 0"). S3 (and MinIO,
 * Ceph …) make each object visible whole or not at all; {@link makeS3rverAtomic} gives s3rver's file store that
 * guarantee — the content is written to a temporary file (a name its listings never show) and renamed into place after
 * its metadata — so the tests exercise the index on object storage, not s3rver's race.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}
interface FilesystemStorePrototype {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  atomicPuts?: boolean;
}

let temporaryCounter = 0;

async function bytesOf(content: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  const parts: Buffer[] = [];
  for await (const part of content) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(parts);
}

/** Makes every s3rver instance of this process write objects atomically (idempotent). */
export function makeS3rverAtomic(): void {
  const require = createRequire(import.meta.url);
  const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as { prototype: FilesystemStorePrototype };
  const store = FilesystemStore.prototype;
  if (store.atomicPuts) return;
  store.atomicPuts = true;
  store.putObject = async function putObject(this: FilesystemStorePrototype, object: StoredObject) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const content = await bytesOf(object.content);
    const md5 = createHash('md5').update(content).digest('hex');
    const temporary = `${objectPath}.${process.pid}-${temporaryCounter++}.partial`;
    await writeFile(temporary, content);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    await rename(temporary, objectPath);
    return { size: content.length, md5 };
  };
}

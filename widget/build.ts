/**
 * Bundles the widget (`widget/src/index.ts`) into one self-contained script with esbuild.
 * `tsx widget/build.ts` writes `dist/widget.js`; servers import {@link buildWidgetScript} and memoise it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const widgetDirectory = dirname(fileURLToPath(import.meta.url));

/** Options for {@link buildWidgetScript}. */
export interface BuildWidgetOptions {
  /** Minify (default true). */
  minify?: boolean;
}

/** Builds the widget and returns the JavaScript text (an IIFE, ES2020, no external imports). */
export async function buildWidgetScript(options: BuildWidgetOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [resolve(widgetDirectory, 'src/index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: options.minify ?? true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    banner: { js: '/* Planassistenten widget */' },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for widget/src/index.ts');
  return output.text;
}

/** Writes `dist/widget.js` (or the path given as first argument) and prints its size. */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? resolve(widgetDirectory, '..', 'dist', 'widget.js'));
  const script = await buildWidgetScript();
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, script, 'utf8');
  console.log(`Wrote ${target} (${(Buffer.byteLength(script) / 1024).toFixed(1)} KiB)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`widget build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}

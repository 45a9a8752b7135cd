/**
 * File loaders for the ingest: .txt, .md, .pdf (unpdf), .docx (mammoth, headings kept), .html/.htm (linkedom +
 * Mozilla Readability: main content only, headings kept), plus `NAME.meta.json` sidecars.
 * Every failure is a `LoadError` whose message names the file (and for sidecars the field).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { Readability } from '@mozilla/readability';
import { marked } from 'marked';
import { parseHTML } from 'linkedom';
import { z } from 'zod';
import { canonicalCommitteeId } from '../src/core/committees.ts';
import { DOCUMENT_TYPES, type DocumentMeta } from '../src/core/types.ts';

/** File extensions the loaders read (lower case, with dot). */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['.txt', '.md', '.pdf', '.docx', '.html', '.htm'];

/** Suffix of metadata sidecars: `NAME.meta.json` next to `NAME.txt` (or `NAME.txt.meta.json`). */
export const SIDECAR_SUFFIX = '.meta.json';

/** A file that could not be loaded; `message` names the file. */
export class LoadError extends Error {
  constructor(
    /** Path of the file as given/found. */
    public readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoadError';
  }
}

/** Metadata a sidecar may override. */
export type DocumentOverride = Partial<Pick<DocumentMeta, 'title' | 'committee' | 'committeeId' | 'type' | 'status' | 'year' | 'date' | 'parties'>>;

const sidecarSchema = z.strictObject({
  title: z.string().trim().min(1).optional(),
  committee: z.string().trim().min(1).optional(),
  committeeId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case key like socialnamnden-centrum').optional(),
  type: z.enum(DOCUMENT_TYPES).optional(),
  status: z.enum(['beslutad', 'yrkande', 'förslag', 'information']).optional(),
  year: z.number().int().min(1900).max(2100).optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a valid date')
    .optional(),
  parties: z.array(z.string().trim().min(1)).optional(),
});

/** A file found for ingest. */
export interface CorpusFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the corpus root with `/` separators (the file name for files outside it). */
  source: string;
}

/** A loaded document. */
export interface LoadedFile extends CorpusFile {
  /** Extracted plain text (line structure kept, `\n` line ends). */
  text: string;
  /** sha256 (hex) of the raw file bytes. */
  contentHash: string;
  /** Sidecar values, when a sidecar exists. */
  override?: DocumentOverride;
}

/** Result of `findCorpusFiles`. */
export interface FoundFiles {
  files: CorpusFile[];
  /** Paths that could not be used (missing, unsupported type); the message names the file. */
  errors: LoadError[];
  /** True when a given path is the corpus root itself (then documents missing from it may be removed). */
  coversCorpusRoot: boolean;
}

function sourceFor(path: string, corpusRoot: string): string {
  const relativePath = relative(corpusRoot, path);
  if (relativePath.startsWith('..') || relativePath === '' || resolve(relativePath) === relativePath) return basename(path);
  return relativePath.split(sep).join('/');
}

function isSidecar(name: string): boolean {
  return name.toLowerCase().endsWith(SIDECAR_SUFFIX);
}

function unsupported(path: string): LoadError {
  return new LoadError(path, `${path}: unsupported file type "${extname(path) || '(none)'}" (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
}

/**
 * Expands the given paths (files or folders, walked recursively; dot-files and sidecars skipped) into corpus files,
 * sorted by source. Missing paths and unsupported files become errors naming the path.
 */
export async function findCorpusFiles(paths: string[], corpusRoot: string): Promise<FoundFiles> {
  const root = resolve(corpusRoot);
  const files = new Map<string, CorpusFile>();
  const errors: LoadError[] = [];
  let coversCorpusRoot = false;

  async function walk(directory: string): Promise<void> {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && !isSidecar(entry.name)) {
        if (SUPPORTED_EXTENSIONS.includes(extname(entry.name).toLowerCase())) files.set(path, { path, source: sourceFor(path, root) });
        else errors.push(unsupported(path));
      }
    }
  }

  for (const given of paths) {
    const path = resolve(given);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      errors.push(new LoadError(given, `${given}: no such file or folder`, { cause: error }));
      continue;
    }
    if (info.isDirectory()) {
      if (path === root) coversCorpusRoot = true;
      await walk(path);
    } else if (isSidecar(path)) {
      errors.push(new LoadError(given, `${given}: is a metadata sidecar; give the document it belongs to instead`));
    } else if (SUPPORTED_EXTENSIONS.includes(extname(path).toLowerCase())) {
      files.set(path, { path, source: sourceFor(path, root) });
    } else {
      errors.push(unsupported(given));
    }
  }
  return { files: [...files.values()].sort((a, b) => a.source.localeCompare(b.source)), errors, coversCorpusRoot };
}

/** sha256 (hex) of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Decodes a text file strictly: NUL bytes (binary) and invalid UTF-8 are errors naming the file. */
export function decodeTextFile(bytes: Uint8Array, file: string): string {
  if (bytes.includes(0)) throw new LoadError(file, `${file}: looks like a binary file (contains NUL bytes), not text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new LoadError(file, `${file}: is not valid UTF-8 text (save it as UTF-8)`, { cause: error });
  }
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Decodes HTML character references (named, decimal, hex) with the HTML parser; unknown ones are kept as written. */
export function decodeEntities(text: string): string {
  const { document } = parseHTML(`<!doctype html><html><body><p>${text.replace(/</g, '&lt;')}</p></body></html>`);
  return document.querySelector('p')?.textContent ?? text;
}

/** Elements that are never document content. */
const NEVER_CONTENT = 'script, style, noscript, template, svg, canvas, iframe, object, embed, head, title, button, input, select, textarea';
/** Page chrome: navigation, site header/footer, side bars, forms, cookie/consent banners, hidden elements. */
const PAGE_CHROME = [
  'nav', 'aside', 'form', 'dialog',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]', '[role="dialog"]', '[role="alertdialog"]',
  '[hidden]', '[aria-hidden="true"]',
  '[id*="cookie" i]', '[class*="cookie" i]', '[id*="consent" i]', '[class*="consent" i]', '[class*="skip-link" i]', '[class*="breadcrumb" i]',
].join(', ');

const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'blockquote', 'body', 'caption', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'header',
  'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul', 'details', 'summary',
]);
const HEADING = /^h[1-6]$/;

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/**
 * Plain text of a DOM subtree: block elements on their own lines, headings as lines of their own with a blank line
 * before and after (so the chunker sees sections), list items as "• …", table cells joined by " | ", <br> as a line
 * break; whitespace inside a line collapsed.
 */
function domToText(root: DomNode): string {
  const out: string[] = [];
  const lineBreak = (blank = false): void => {
    out.push(blank ? '\n\u0001\n' : '\n');
  };
  const walk = (node: DomNode): void => {
    if (node.nodeType === 3) {
      out.push((node.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toLowerCase();
    if (name === 'br') return lineBreak();
    if (HEADING.test(name)) {
      lineBreak(true);
      out.push((node.textContent ?? '').replace(/\s+/g, ' ').trim());
      lineBreak(true);
      return;
    }
    const block = BLOCK_ELEMENTS.has(name);
    if (block) lineBreak(name === 'p' || name === 'table' || name === 'section' || name === 'article');
    if (name === 'li') out.push('• ');
    const children = Array.from(node.childNodes);
    children.forEach((child, index) => {
      walk(child);
      const childName = child.nodeName.toLowerCase();
      if ((childName === 'td' || childName === 'th') && children.slice(index + 1).some((next) => /^t[dh]$/i.test(next.nodeName))) out.push(' | ');
    });
    if (block) lineBreak(name === 'p' || name === 'table' || name === 'section' || name === 'article');
  };
  walk(root);
  // Blank lines come only from paragraph-level breaks (\u0001), not from whitespace between elements.
  const lines = out
    .join('')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+/g, ' ').replace(/(?:\s*\|\s*)+$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => (line === '\u0001' ? '' : line));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function removeAll(root: { querySelectorAll(selector: string): ArrayLike<{ remove(): void }> }, selector: string): void {
  for (const element of Array.from(root.querySelectorAll(selector))) element.remove();
}

/**
 * The main content element of a page: `<main>` / `[role=main]` when the page marks it, otherwise what
 * Mozilla Readability (the Firefox Reader View library) extracts, otherwise the body. Page chrome is removed first.
 */
function mainContent(html: string): { root: DomNode; title: string } {
  const { document } = parseHTML(/<body\b/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`);
  const title = (document.querySelector('title')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  removeAll(document, NEVER_CONTENT);
  removeAll(document, PAGE_CHROME);
  const marked = document.querySelector('main, [role="main"]');
  if (marked) {
    removeAll(marked, 'header, footer');
    return { root: marked as unknown as DomNode, title };
  }
  // Site header/footer directly under <body> (or its wrapper) are chrome; inside an article they are content.
  removeAll(document, 'body > header, body > footer, body > div > header, body > div > footer');
  const body = document.body as unknown as DomNode;
  const bodyText = (document.body?.textContent ?? '').replace(/\s+/g, ' ').trim();
  try {
    const { document: copy } = parseHTML(document.toString());
    const article = new Readability(copy as unknown as Document, { charThreshold: 200, keepClasses: false }).parse();
    const articleText = (article?.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (article?.content && articleText.length >= 0.3 * bodyText.length) {
      // Readability takes the page's <h1> as the title and leaves it out of the content: put it back.
      const h1 = (document.querySelector('h1')?.textContent ?? '').replace(/\s+/g, ' ').trim();
      const heading = h1 && !articleText.startsWith(h1) ? `<h1>${h1.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</h1>` : '';
      const { document: extracted } = parseHTML(`<!doctype html><html><body>${heading}${article.content}</body></html>`);
      return { root: extracted.body as unknown as DomNode, title };
    }
  } catch {
    // Readability gives up on unusual markup: the cleaned body is the content.
  }
  return { root: body, title };
}

/**
 * HTML → plain text of the page's main content: navigation, site header and footer, side bars, forms, cookie and
 * consent banners, scripts and styles are dropped (`<main>` when the page marks it, else Mozilla Readability);
 * headings become lines of their own (blank line around), list items "• ", table cells " | ". The page `<title>`
 * becomes the first line when the content has no `<h1>`.
 */
export function htmlToText(html: string): string {
  const hasH1 = /<h1\b/i.test(html);
  const { root, title } = mainContent(html);
  let text = domToText(root);
  if (title && !hasH1 && !text.startsWith(title)) text = `${title}\n\n${text}`;
  return text;
}

/**
 * Markdown → plain text like a Word document's: rendered by `marked` (CommonMark/GFM), so emphasis, links and code
 * marks are gone ("**Beslutad i …**" → "Beslutad i …"), headings become heading lines, list items "• ", table cells
 * " | ".
 */
export function markdownToText(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return domToText(document.body as unknown as DomNode);
}

/** A Word document as text with its headings (Heading 1–6 styles) as heading lines; via mammoth's HTML. */
async function docxToText(bytes: Uint8Array): Promise<string> {
  const mammoth = (await import('mammoth')).default;
  const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  const { document } = parseHTML(`<!doctype html><html><body>${result.value}</body></html>`);
  return domToText(document.body as unknown as DomNode);
}

/** A line set in a font this much larger than the body text is a heading. */
const PDF_HEADING_SIZE_RATIO = 1.2;

/**
 * A PDF's text, page by page (blank line between pages), with the line breaks pdf.js reports. Lines set in a
 * clearly larger font than the body text (the size that carries most characters) and short enough to be a
 * title become heading lines (a blank line before and after), so the chunker sees the sections.
 */
async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { extractTextItems, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  const { items } = await extractTextItems(pdf);
  const pages = items.map((pageItems) => {
    const lines: Array<{ text: string; size: number }> = [{ text: '', size: 0 }];
    for (const item of pageItems) {
      const line = lines[lines.length - 1];
      line.text += item.str;
      if (item.str.trim()) line.size = Math.max(line.size, Math.round(item.fontSize * 10) / 10);
      if (item.hasEOL) lines.push({ text: '', size: 0 });
    }
    return lines;
  });
  const characters = new Map<number, number>();
  for (const line of pages.flat()) if (line.size > 0) characters.set(line.size, (characters.get(line.size) ?? 0) + line.text.trim().length);
  const body = [...characters.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const isHeading = (line: { text: string; size: number }): boolean =>
    body > 0 && line.size >= PDF_HEADING_SIZE_RATIO * body && line.text.trim().length <= 120 && /\p{L}/u.test(line.text);
  return pages
    .map((lines) =>
      lines
        .map((line, index) => (isHeading(line) ? `${index > 0 ? '\n' : ''}${line.text.trim()}${index < lines.length - 1 ? '\n' : ''}` : line.text))
        .join('\n')
        .replace(/\n{3,}/g, '\n\n'),
    )
    .join('\n\n');
}

/** Extracts plain text from a file's bytes by extension; errors name the file. */
export async function extractText(bytes: Uint8Array, file: string): Promise<string> {
  const extension = extname(file).toLowerCase();
  switch (extension) {
    case '.txt':
      return decodeTextFile(bytes, file);
    case '.md':
      return markdownToText(decodeTextFile(bytes, file));
    case '.html':
    case '.htm':
      return htmlToText(decodeTextFile(bytes, file));
    case '.pdf': {
      try {
        return await pdfToText(bytes);
      } catch (error) {
        throw new LoadError(file, `${file}: could not read the PDF (${(error as Error).message})`, { cause: error });
      }
    }
    case '.docx': {
      try {
        return await docxToText(bytes);
      } catch (error) {
        throw new LoadError(file, `${file}: could not read the Word document (${(error as Error).message})`, { cause: error });
      }
    }
    default:
      throw unsupported(file);
  }
}

/** Paths a sidecar may have: `NAME.meta.json` (extension replaced) or `NAME.ext.meta.json`. */
export function sidecarPathsFor(path: string): string[] {
  const extension = extname(path);
  return [`${path.slice(0, path.length - extension.length)}${SIDECAR_SUFFIX}`, `${path}${SIDECAR_SUFFIX}`];
}

/** Parses and validates sidecar JSON; errors name the file and the field. */
export function parseSidecar(content: string, file: string): DocumentOverride {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new LoadError(file, `${file}: is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = sidecarSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys ?? [] : [];
    const field = keys.length ? keys.join('", "') : issue.path.join('.') || '(root)';
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    throw new LoadError(file, `${file}: invalid field "${field}": ${message}`);
  }
  const override: DocumentOverride = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
  if (override.committee && !override.committeeId) override.committeeId = canonicalCommitteeId(override.committee);
  return override;
}

/** Reads the sidecar of a document if there is one. */
export async function readSidecar(path: string): Promise<DocumentOverride | undefined> {
  for (const candidate of sidecarPathsFor(path)) {
    let content: string;
    try {
      content = await readFile(candidate, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new LoadError(candidate, `${candidate}: could not be read (${(error as Error).message})`, { cause: error });
    }
    return parseSidecar(content, candidate);
  }
  return undefined;
}

/** Loads one file: bytes → sha256, text extraction, sidecar. Throws LoadError naming the file. */
export async function loadFile(file: CorpusFile): Promise<LoadedFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    throw new LoadError(file.path, `${file.path}: could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  if (bytes.length === 0) throw new LoadError(file.path, `${file.path}: is empty`);
  const text = await extractText(bytes, file.path);
  if (!/\S/.test(text)) {
    const hint = extname(file.path).toLowerCase() === '.pdf' ? ' (a scanned PDF? run OCR first)' : '';
    throw new LoadError(file.path, `${file.path}: contains no text${hint}`);
  }
  const override = await readSidecar(file.path);
  return { ...file, text, contentHash: sha256(bytes), ...(override ? { override } : {}) };
}

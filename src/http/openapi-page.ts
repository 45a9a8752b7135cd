/**
 * A readable, self-contained HTML page rendered from the OpenAPI document (no scripts, no CDN).
 * Runtime-neutral.
 */

/** The parts of an OpenAPI 3 document the page reads (kept loose on purpose). */
export interface OpenApiDocumentLike {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, OperationLike | undefined> | undefined>;
  components?: { schemas?: Record<string, SchemaLike> };
}

interface OperationLike {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{ name?: string; in?: string; required?: boolean; description?: string; schema?: SchemaLike }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaLike }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: SchemaLike }> }>;
}

interface SchemaLike {
  $ref?: string;
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  items?: SchemaLike;
  properties?: Record<string, SchemaLike>;
  required?: string[];
  additionalProperties?: boolean | SchemaLike;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: SchemaLike[];
  oneOf?: SchemaLike[];
  allOf?: SchemaLike[];
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'] as const;

/** Escapes text for HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function refName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

function anchor(name: string): string {
  return `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function constraints(schema: SchemaLike): string {
  const parts: string[] = [];
  if (schema.minLength !== undefined) parts.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`max length ${schema.maxLength}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) parts.push(`min ${schema.minItems} items`);
  if (schema.maxItems !== undefined) parts.push(`max ${schema.maxItems} items`);
  if (schema.additionalProperties === false) parts.push('no other keys');
  if (schema.example !== undefined) parts.push(`example: ${JSON.stringify(schema.example)}`);
  return parts.length ? ` <span class="constraints">(${escapeHtml(parts.join(', '))})</span>` : '';
}

/** One-line type label, linking component references. */
function typeLabel(schema: SchemaLike | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) return `<a href="#${anchor(refName(schema.$ref))}">${escapeHtml(refName(schema.$ref))}</a>`;
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (schema.enum) return schema.enum.map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(' | ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeLabel).join(' | ');
  if (schema.allOf) return schema.allOf.map(typeLabel).join(' &amp; ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') return `array of ${typeLabel(schema.items)}`;
  if (type === 'object' && !schema.properties) return 'object';
  return escapeHtml(type ?? 'any') + (schema.nullable ? ' | null' : '');
}

/** Renders a schema: a property table for inline objects, else its type label. */
function renderSchema(schema: SchemaLike | undefined, depth = 0): string {
  if (!schema) return '<p>any</p>';
  const isObject = (schema.type === 'object' || schema.properties) && !schema.$ref;
  if (!isObject || !schema.properties) {
    return `<p>${typeLabel(schema)}${constraints(schema)}${schema.description ? ` — ${escapeHtml(schema.description)}` : ''}</p>`;
  }
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties)
    .map(([name, property]) => {
      const nested =
        depth < 3 && !property.$ref && property.properties
          ? renderSchema(property, depth + 1)
          : depth < 3 && property.items && !property.items.$ref && property.items.properties
            ? renderSchema(property.items, depth + 1)
            : '';
      return `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? '' : ' <span class="optional">optional</span>'}</td><td>${typeLabel(property)}${constraints(property)}${
        property.description ? `<div>${escapeHtml(property.description)}</div>` : ''
      }${nested}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Field</th><th>Type</th></tr></thead><tbody>${rows}</tbody></table>${
    schema.additionalProperties === false ? '<p class="constraints">Other keys are refused.</p>' : ''
  }`;
}

function renderOperation(path: string, method: string, operation: OperationLike): string {
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const parameters = (operation.parameters ?? [])
    .map(
      (parameter) =>
        `<li><code>${escapeHtml(parameter.name ?? '')}</code> (${escapeHtml(parameter.in ?? '')}${parameter.required ? ', required' : ''}): ${typeLabel(parameter.schema)}${
          parameter.description ? ` — ${escapeHtml(parameter.description)}` : ''
        }</li>`,
    )
    .join('');
  const body = operation.requestBody?.content
    ? Object.entries(operation.requestBody.content)
        .map(([mediaType, media]) => `<h4>Request body <code>${escapeHtml(mediaType)}</code></h4>${renderSchema(media.schema)}`)
        .join('')
    : '';
  const responses = Object.entries(operation.responses ?? {})
    .map(([status, response]) => {
      const content = Object.entries(response.content ?? {})
        .map(([mediaType, media]) => `<div><code>${escapeHtml(mediaType)}</code>: ${typeLabel(media.schema)}</div>`)
        .join('');
      return `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(response.description ?? '')}${content}</li>`;
    })
    .join('');
  return `<section class="operation" id="${escapeHtml(id)}">
<h3><span class="method method-${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
${operation.summary ? `<p><strong>${escapeHtml(operation.summary)}</strong></p>` : ''}
${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ''}
${parameters ? `<h4>Parameters</h4><ul>${parameters}</ul>` : ''}
${body}
<h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

/** Renders the whole OpenAPI document as one HTML page. */
export function renderOpenApiPage(document: OpenApiDocumentLike, options: { specUrl?: string } = {}): string {
  const title = document.info?.title ?? 'API';
  const operations: string[] = [];
  const index: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const id = `${method}-${path}`.replace(/[^A-Za-z0-9_-]/g, '-');
      index.push(`<li><a href="#${escapeHtml(id)}"><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></a>${operation.summary ? ` — ${escapeHtml(operation.summary)}` : ''}</li>`);
      operations.push(renderOperation(path, method, operation));
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {})
    .map(([name, schema]) => `<section class="schema" id="${anchor(name)}"><h3>${escapeHtml(name)}</h3>${renderSchema(schema)}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — API</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:960px;margin:0 auto;padding:1rem 1.5rem;color:#1b1b1b;line-height:1.45}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
.operation,.schema{border:1px solid #d0d7de;border-radius:6px;padding:.25rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;padding:0 .4rem;color:#fff;background:#555;font-size:.85em}
.method-get{background:#0b6e4f}.method-post{background:#1f4e8c}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
.optional,.constraints{color:#57606a;font-size:.9em}
a{color:#0550ae}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}${document.info?.version ? ` <small>${escapeHtml(document.info.version)}</small>` : ''}</h1>
${document.info?.description ? `<p>${escapeHtml(document.info.description)}</p>` : ''}
${options.specUrl ? `<p>Machine-readable document: <a href="${escapeHtml(options.specUrl)}">${escapeHtml(options.specUrl)}</a></p>` : ''}
</header>
<main>
<nav aria-label="Endpoints"><h2>Endpoints</h2><ul>${index.join('')}</ul></nav>
<h2>Operations</h2>
${operations.join('\n')}
<h2>Schemas</h2>
${schemas}
</main>
</body>
</html>`;
}

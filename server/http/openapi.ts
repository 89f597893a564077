// Builds the OpenAPI 3.1 document from the endpoint registry: the same zod schemas that validate input.
import { z } from 'zod';
import { registry } from './endpoint.ts';
import { errorCodes } from './errors.ts';

const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Every list answers with these (paging.ts): the rows in all pages, and the links to the next and previous page. */
const pageHeaders = {
  'X-Total-Count': { description: 'rows in all pages', schema: { type: 'integer' } },
  Link: { description: 'RFC 8288 links to the next and previous pages (rel="next", rel="prev")', schema: { type: 'string' } },
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of registry.values()) {
    const path = `/api${spec.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters = [
      ...objectParameters(spec.params, 'path'),
      ...objectParameters(spec.query, 'query'),
      ...(spec.idempotent ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] : []),
    ];
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.roles === 'public' ? [] : [{ bearer: [] }],
      'x-roles': spec.roles,
      ...(spec.list ? { 'x-list': spec.list } : {}),
      parameters,
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body) } } } } : {}),
      responses: {
        [String(spec.status ?? 200)]: { description: 'Success', content: { [spec.produces ?? 'application/json']: {} }, ...(spec.list ? { headers: pageHeaders } : {}) },
        default: { description: 'A problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Lifeline API', version: '0.1.0', description: 'Relief supply and dispatch optimizer' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string', enum: [...errorCodes] },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } } },
          },
        },
      },
    },
  };
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

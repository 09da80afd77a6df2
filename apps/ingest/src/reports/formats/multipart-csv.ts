import { Readable } from 'node:stream';
import { validationException } from '@vigia/common';
import busboy from 'busboy';
import type { Request } from 'express';

export interface MultipartCsv {
  fields: Record<string, string | string[]>;
  file: Readable;
}

/**
 * Reads a multipart/form-data upload up to its file part: the report fields must come before the file
 * (curl -F and browsers send parts in the order given). One byte over the limit is let through, so the reader
 * can tell a file over the limit (413) from one exactly at it.
 */
export function readMultipartCsv(request: Request, limitBytes: number): Promise<MultipartCsv> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string | string[]> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fileSize: limitBytes + 1, fields: 100 } });
    } catch (error) {
      reject(validationException([{ path: 'body', reason: `Malformed multipart body: ${(error as Error).message}` }]));
      return;
    }
    parser.on('field', (name, value) => {
      const existing = fields[name];
      fields[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    });
    parser.on('file', (_name, file) => resolve({ fields, file }));
    parser.on('close', () =>
      reject(validationException([{ path: 'body', reason: 'multipart body has no file part with the CSV' }])),
    );
    parser.on('error', (error: Error) =>
      reject(validationException([{ path: 'body', reason: `Malformed multipart body: ${error.message}` }])),
    );
    request.pipe(parser);
  });
}

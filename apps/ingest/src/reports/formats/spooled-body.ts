import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, VigiaException } from '@vigia/common';

/** An upload received in full onto local disk; read it as often as needed, then `discard` it. */
export interface SpooledBody {
  size: number;
  open(): Readable;
  discard(): Promise<void>;
}

/**
 * Receives a streamed upload onto a private temporary file before anything touches the database: a client sending
 * slowly then holds a file handle, not a connection or a transaction (the body deadline ends it). More than
 * `limitBytes` is refused with 413.
 */
export async function spoolBody(source: Readable, limitBytes: number): Promise<SpooledBody> {
  const directory = await mkdtemp(path.join(tmpdir(), 'vigia-upload-'));
  const file = path.join(directory, 'body');
  const discard = () => rm(directory, { recursive: true, force: true });
  let size = 0;
  try {
    await pipeline(
      source,
      async function* counted(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limitBytes) {
            throw new VigiaException(
              ErrorCode.PayloadTooLarge,
              `CSV is larger than the ${limitBytes / 2 ** 20} MiB limit`,
            );
          }
          yield chunk;
        }
      },
      createWriteStream(file, { mode: 0o600 }),
    );
  } catch (error) {
    await discard();
    throw error;
  }
  return { size, open: () => createReadStream(file), discard };
}

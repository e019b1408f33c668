import { Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { BadRequestError, ValidationError } from '../errors';
import { uploadTokenRefusal } from '../http/csrf';
import { CASE_LIST_LIMITS } from '../files/limits';
import { malformedMultipart } from '../http/multipart';
import type { ImportInput } from './import-service';
import type { ColumnMapping } from './mapping';
import type { ImportFormat, ImportMode, ImportOptions, UnknownTeams } from './types';

export const XLSX_MAX_MB = CASE_LIST_LIMITS.xlsx.packedBytes / 1_048_576;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Passes bytes through until there are more than `max`, then fails the stream with a clear reason. */
function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max)
        callback(new Error(`the file is larger than the limit of ${Math.round(max / 1048576)} MB`));
      else callback(null, chunk);
    },
  });
}

/**
 * The first bytes of a stream, put back so that the stream still starts with them. The stream itself is
 * read on (no wrapper), so whatever the import leaves unread can be drained from it directly.
 */
function peek(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const finish = (head: Buffer | null, err?: Error) => {
      stream.off('readable', onReadable).off('end', onEnd).off('error', onError);
      if (err !== undefined) return reject(err);
      if (head) stream.unshift(head);
      resolve(head ?? Buffer.alloc(0));
    };
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) finish(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (err: Error) => finish(null, err);
    stream.on('readable', onReadable).once('end', onEnd).once('error', onError);
  });
}

/**
 * Reads and throws away what is left of an upload once its import has stopped reading it (a file refused
 * part way, or before it was read), so the client can finish sending and read the answer instead of
 * having its connection reset. More than `maxBytes` of it, and the connection is dropped after all.
 * Resolves once the upload has ended (or been dropped): an answer sent before then can race the client's
 * last writes, and a client that has not finished sending reads a reset connection instead of the answer.
 */
function discardRest(source: Readable, maxBytes: number, drop: () => void): Promise<void> {
  if (source.readableEnded || source.destroyed) return Promise.resolve();
  let discarded = 0;
  source.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxBytes) drop();
  });
  source.resume();
  return ended(source);
}

/** Resolves when the stream has ended, failed or been closed: never rejects. */
function ended(stream: Readable): Promise<void> {
  return finished(stream).catch(() => undefined);
}

/**
 * Imports the file in `stream`, a workbook (a zip) or text by name, content type, or failing those the
 * first bytes; then discards whatever of it the import left unread.
 */
async function importFile<T>(
  stream: Readable,
  file: { name: string; contentType: string | undefined; maxMb: number; drop: () => void },
  run: (input: ImportInput) => Promise<T>,
): Promise<T> {
  const head = await peek(stream);
  const kind =
    /\.xlsx$/i.test(file.name) || file.contentType === XLSX_TYPE || head.subarray(0, 4).equals(ZIP_MAGIC)
      ? 'xlsx'
      : 'csv';
  const max = (kind === 'xlsx' ? Math.min(file.maxMb, XLSX_MAX_MB) : file.maxMb) * 1048576;
  try {
    return await run({ stream: stream.pipe(limitBytes(max)), kind, name: file.name });
  } finally {
    await discardRest(stream, max, file.drop);
  }
}

function choice<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (value === undefined || value === '' || value === 'detect') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(`${field} is not valid.`, [
    { field, message: `must be one of ${allowed.join(', ')}` },
  ]);
}

/** Import options from form fields or query parameters. */
export function importOptions(values: Record<string, unknown>, sourceName: string | null): ImportOptions {
  const format =
    values.format === undefined || values.format === '' || values.format === 'detect'
      ? undefined
      : choice<ImportFormat>(values.format, ['native', 'annex-a'], 'format', 'native');
  return {
    ...(format ? { format } : {}),
    mode: choice<ImportMode>(values.mode, ['all-or-nothing', 'skip-invalid'], 'mode', 'all-or-nothing'),
    unknownTeams: choice<UnknownTeams>(values.unknownTeams, ['create', 'reject'], 'unknownTeams', 'reject'),
    sourceName,
  };
}

/** A column mapping sent as a form field or query parameter may be this long (JSON, or a name). */
const MAPPING_FIELD_BYTES = 256 * 1024;

/**
 * Import options with the column mapping sent (field or query parameter `mapping`: JSON, or a saved
 * mapping's name), resolved by `resolve`.
 */
export async function importOptionsWithMapping(
  values: Record<string, unknown>,
  sourceName: string | null,
  resolve: (given: string) => Promise<ColumnMapping>,
): Promise<ImportOptions> {
  const options = importOptions(values, sourceName);
  const given = values.mapping;
  if (given === undefined || given === '') return options;
  if (typeof given !== 'string' || given.length > MAPPING_FIELD_BYTES)
    throw new ValidationError('The column mapping is not valid.', [
      { field: 'mapping', message: 'must be one JSON mapping or the name of a saved mapping' },
    ]);
  return { ...options, mappings: [await resolve(given)] };
}

/**
 * The case list in a request, as a stream: a raw CSV or XLSX body (options in the query string), or a
 * multipart upload with the file in the field `file` (the form's CSRF token and the options in fields before
 * it, as a form sends them). Calls `run` while the file is still arriving, so nothing is held in memory.
 */
export async function withUploadedList<T>(
  req: Request,
  maxMb: number,
  run: (input: ImportInput, values: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  if (!req.is('multipart/form-data')) {
    if (!req.is(['text/csv', 'text/plain', XLSX_TYPE, 'application/octet-stream'])) {
      throw new BadRequestError(
        'Send the case list as CSV (text/csv), XLSX, or a multipart upload in the field "file".',
      );
    }
    const name = typeof req.query.filename === 'string' ? req.query.filename : 'upload';
    const file = { name, contentType: req.headers['content-type'], maxMb, drop: () => req.destroy() };
    return importFile(req, file, (input) => run(input, req.query));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { files: 1, fields: 10, fieldSize: MAPPING_FIELD_BYTES },
    });
  } catch (err) {
    throw malformedMultipart(err);
  }
  return new Promise<T>((resolve, reject) => {
    // Answers wait until the whole request has been read (or dropped), as in the raw case above.
    const requestEnded = ended(req);
    const answer = (settle: () => void) => void requestEnded.then(settle);
    const values: Record<string, unknown> = {};
    let started = false;
    let refused = false;
    /** The form's CSRF token, from the fields before the file (see csrf.ts): false when it is refused. */
    const tokenAccepted = () => {
      const refusal = refused ? undefined : uploadTokenRefusal(req, values);
      if (refusal) {
        refused = true;
        answer(() => reject(refusal));
      }
      return !refused;
    };
    parser.on('field', (name, value) => {
      values[name] = value;
    });
    parser.on('file', (_field, file, info) => {
      // A form with no file chosen still sends an empty part with no name.
      if (started || !info.filename) return void file.resume();
      started = true;
      if (!tokenAccepted()) return void discardRest(file, maxMb * 1048576, () => req.destroy());
      const upload = { name: info.filename, contentType: info.mimeType, maxMb, drop: () => req.destroy() };
      importFile(file, upload, (input) => run(input, values)).then(
        (outcome) => answer(() => resolve(outcome)),
        (err: Error) => answer(() => reject(err)),
      );
    });
    parser.on('close', () => {
      if (!started && tokenAccepted())
        answer(() =>
          reject(
            new ValidationError('Select a case list file.', [
              { field: 'file', message: 'Select a case list file (.csv or .xlsx)' },
            ]),
          ),
        );
    });
    parser.on('error', (err) => {
      // The parser has stopped reading: the rest of the request is read and thrown away by hand.
      req.unpipe(parser);
      void discardRest(req, maxMb * 1048576, () => req.destroy());
      answer(() => reject(malformedMultipart(err)));
    });
    req.pipe(parser);
  });
}

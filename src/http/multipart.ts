import { BadRequestError } from '../errors';

/**
 * A multipart body that cannot be parsed (no boundary in its Content-Type, cut short, a malformed part) is
 * the sender's mistake: a 400 that says so, never a server error.
 */
export function malformedMultipart(err: unknown): BadRequestError {
  const why = err instanceof Error ? err.message : String(err);
  return new BadRequestError(
    `The upload cannot be read as a multipart form (${why}). Send the file as multipart/form-data, with the boundary in the Content-Type header, or as the request body.`,
  );
}

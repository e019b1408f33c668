import type { RequestHandler } from 'express';
import multer from 'multer';
import { UPLOAD_LIMIT_MB } from './error-handler';
import { malformedMultipart } from './multipart';

const single = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMIT_MB * 1024 * 1024, files: 1, fields: 5 },
}).single('file');

/**
 * Accepts one uploaded file, in memory, in the field `file`. The CSRF token of an upload form travels in
 * its action URL (see csrf.ts), as the body is parsed only here. Multer's own errors (too large, a second
 * file) are explained by the error handler; anything else it passes on is a body it could not parse.
 */
export const acceptFile: RequestHandler = (req, res, next) => {
  single(req, res, (err?: unknown) => {
    next(err === undefined || err instanceof multer.MulterError ? err : malformedMultipart(err));
  });
};

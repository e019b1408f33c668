import type { RequestHandler } from 'express';
import multer from 'multer';
import { uploadTokenRefusal } from './csrf';
import { UPLOAD_LIMIT_MB } from './error-handler';
import { malformedMultipart } from './multipart';

const single = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMIT_MB * 1024 * 1024, files: 1, fields: 5 },
}).single('file');

/**
 * Accepts one uploaded file, in memory (bounded), in the field `file`; then checks the form's CSRF token,
 * which comes in its body (see csrf.ts), as the body is parsed only here. Multer's own errors (too large, a
 * second file) are explained by the error handler; anything else it passes on is a body it could not parse.
 */
export const acceptFile: RequestHandler = (req, res, next) => {
  single(req, res, (err?: unknown) => {
    if (err !== undefined) return next(err instanceof multer.MulterError ? err : malformedMultipart(err));
    next(uploadTokenRefusal(req, req.body as Record<string, unknown> | undefined));
  });
};

import multer from 'multer';
import { UPLOAD_LIMIT_MB } from './error-handler';

/**
 * Accepts one uploaded file, in memory, in the field `file`. The CSRF token of an upload form travels in
 * its action URL (see csrf.ts), as the body is parsed only here.
 */
export const acceptFile = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMIT_MB * 1024 * 1024, files: 1, fields: 5 },
}).single('file');

import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../config';
import { PUBLIC_DIR } from '../paths';

const GOVUK_DIR = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

/** GOV.UK Frontend's assets and our own, served from this origin (no CDN), before sessions are loaded. */
export function setUpStaticAssets(config: Config): Router {
  // A missing asset is a 404 here, not a redirect to sign-in further down.
  const options = { maxAge: config.env === 'production' ? '7d' : 0, index: false, fallthrough: false };
  const router = Router();
  router.get('/assets/govuk-frontend.min.js', (_req, res) => {
    res.sendFile(path.join(GOVUK_DIR, 'govuk-frontend.min.js'), { maxAge: options.maxAge });
  });
  router.use('/assets', express.static(path.join(GOVUK_DIR, 'assets'), options));
  router.use('/public', express.static(PUBLIC_DIR, options));
  return router;
}

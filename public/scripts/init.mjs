import { initAll } from '/assets/govuk-frontend.min.js';

initAll();

const previewForm = document.querySelector('form[data-round-preview]');
if (previewForm) {
  import('/public/scripts/round-preview.mjs').then(({ enhance }) => enhance(previewForm));
}

for (const auditForm of document.querySelectorAll('form[data-audit-form]')) {
  import('/public/scripts/audit-form.mjs').then(({ enhance }) => enhance(auditForm));
}

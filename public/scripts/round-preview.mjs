/**
 * Keeps the round plan's preview in step with the answers as they are typed: the form is sent, without
 * saving, to the page's preview address and the panel replaced with what comes back. The panel is not a
 * live region (it would be read out whole at every pause in typing): a status region beside it says only
 * the panel's short announcement ("Preview updated: 40 audits, 2 per team"). Without this script the
 * "Update the preview" button does the same with a full page load.
 */
export function enhance(form) {
  const panel = document.getElementById('round-preview');
  const status = document.getElementById('round-preview-status');
  const url = form.getAttribute('data-round-preview');
  if (!panel || !url) return;
  const button = form.querySelector('button[name="action"][value="preview"]');
  if (button) button.hidden = true;
  let timer;
  let latest = 0;
  const refresh = async () => {
    const request = ++latest;
    const body = new URLSearchParams(new FormData(form));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
        credentials: 'same-origin',
      });
      // An answer that is not valid yet leaves the last preview in place.
      if (!response.ok || request !== latest) return;
      panel.innerHTML = await response.text();
      const announcement = panel.querySelector('[data-preview-announcement]');
      if (status && announcement) status.textContent = announcement.getAttribute('data-preview-announcement');
    } catch {
      // Offline or refused: the button-free page still works on Continue.
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
}

/**
 * Keeps the round plan's preview in step with the answers as they are typed: the form is sent, without
 * saving, to the page's preview address and the panel replaced with what comes back. Without this
 * script the "Update the preview" button does the same with a full page load.
 */
export function enhance(form) {
  const panel = document.getElementById('round-preview');
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

/**
 * Enhances an audit page's form: questions that do not apply (given the answers on the page) are hidden
 * as answers change, and the draft is saved as you type. Without this script every question is shown
 * with a note of when it applies, and the buttons save the page; the server drops answers that do not apply.
 */

function valuesOf(form, name) {
  return [...form.elements]
    .filter((el) => el.name === name && ((el.type !== 'radio' && el.type !== 'checkbox') || el.checked))
    .map((el) => el.value);
}

function holds(form, condition) {
  const values = valuesOf(form, `q-${condition.question}`);
  if (condition.includes !== undefined) return values.includes(condition.includes);
  const wanted = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  return values.some((value) => wanted.includes(value));
}

function showRelevant(form) {
  for (const question of form.querySelectorAll('[data-relevant-when]')) {
    question.hidden = !holds(form, JSON.parse(question.getAttribute('data-relevant-when')));
  }
}

const RETRIES = 3;
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A key for one save, so that sending it again can never save it twice (crypto.randomUUID needs HTTPS). */
function newKey() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Posts a save, and when the connection fails or the service is briefly unavailable, sends it again with
 * the same Idempotency-Key: if the first attempt was saved after all, the server answers with its result
 * instead of saving twice (or refusing the version it already moved past).
 */
async function sendSafely(url, body) {
  const key = newKey();
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'Idempotency-Key': key,
        },
        body,
        credentials: 'same-origin',
      });
      if (response.status < 502 || attempt === RETRIES) return response;
    } catch (err) {
      if (attempt === RETRIES) throw err;
    }
    await wait(1000 * 3 ** attempt);
  }
}

function autosave(form) {
  const url = form.getAttribute('data-autosave');
  const version = form.querySelector('[data-version]');
  const status = form.querySelector('[data-autosave-status]');
  if (!url || !version || !status) return;
  let timer;
  let saving;
  let again = false;
  let stopped = false;
  const say = (text) => {
    status.textContent = text;
  };
  const save = async () => {
    if (stopped) return;
    if (saving) {
      again = true;
      return saving;
    }
    const body = new URLSearchParams(new FormData(form));
    body.delete('action');
    saving = sendSafely(url, body)
      .then(async (response) => {
        if (response.ok) {
          version.value = String((await response.json()).version);
          const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
          say(`Draft saved at ${time}.`);
        } else if (response.status === 409) {
          stopped = true;
          const problem = await response.json().catch(() => ({}));
          say(
            problem.title === 'Already submitted'
              ? problem.detail
              : 'This audit was saved somewhere else (another tab or device). Reload the page to see the latest answers before you go on.',
          );
        } else {
          say('Not saved yet: some answers are not valid. Use a save button to see what to correct.');
        }
      })
      .catch(() => say('Could not save just now. Your answers are still on the page: use a save button.'))
      .finally(() => {
        saving = undefined;
        if (again) {
          again = false;
          void save();
        }
      });
    return saving;
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  // A save button waits for a save in flight, so it is sent with the latest version.
  form.addEventListener('submit', (event) => {
    clearTimeout(timer);
    if (!saving) return;
    event.preventDefault();
    const submitter = event.submitter;
    saving.then(() => form.requestSubmit(submitter));
  });
}

/**
 * A link to a whole question (from the check page's list of what is missing) scrolls its legend into
 * view; this also puts the cursor in its first field, leaving the legend where it is.
 */
function focusLinkedQuestion(form) {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  if (!target || !form.contains(target) || target.matches('input, textarea, select')) return;
  target.querySelector('input:not([type="hidden"]), textarea, select')?.focus({ preventScroll: true });
}

export function enhance(form) {
  focusLinkedQuestion(form);
  showRelevant(form);
  form.addEventListener('change', () => showRelevant(form));
  autosave(form);
}

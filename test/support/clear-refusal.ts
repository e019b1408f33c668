/**
 * Whether a 4xx answer says what is wrong. Under /api: a problem document (RFC 9457) with a title and a
 * detail. A page: an error summary or a field's error message, or the error page's heading and sentence.
 * Returns why the answer is not clear, or undefined when it is.
 */
export function unclearRefusal(res: {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}): string | undefined {
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('application/problem+json')) {
    let problem: { title?: unknown; detail?: unknown; status?: unknown };
    try {
      problem = JSON.parse(res.text) as typeof problem;
    } catch {
      return 'a problem document that is not JSON';
    }
    if (typeof problem.title !== 'string' || problem.title.trim() === '') return 'a problem with no title';
    if (typeof problem.detail !== 'string' || problem.detail.trim() === '') return 'a problem with no detail';
    if (problem.status !== res.status) return `a problem whose status is ${String(problem.status)}`;
    return undefined;
  }
  if (type.startsWith('text/html')) {
    if (/class="govuk-error-summary"|class="govuk-error-message"/.test(res.text)) return undefined;
    const page = /<h1 class="govuk-heading-l">([^<]+)<\/h1>\s*<p class="govuk-body">([^<]+)<\/p>/.exec(
      res.text,
    );
    if (page?.[1]?.trim() && page[2]?.trim()) return undefined;
    return 'a page with no error summary, field error or error message';
  }
  return `a ${type || 'response with no content type'} that says nothing`;
}

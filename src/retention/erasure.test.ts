import { ERASED, erasedAnswer, erasedResponse, isPseudonym, scrubbedSummary } from './erasure';

describe('erasing an audit response', () => {
  const types = new Map([
    ['seen', 'yes-no-na'],
    ['notes', 'text'],
    ['visited', 'date'],
    ['quality', 'grade'],
    ['needs', 'multiple-choice'],
    ['visits', 'number'],
  ]);
  const response = {
    sections: {
      practice: {
        grade: 'requires-improvement',
        rationale: 'Jo was seen alone twice.',
        strengths: 'Warm relationship with the foster carer.',
        developments: 'Record the child’s wishes.',
        answers: {
          seen: 'yes',
          notes: 'Lives with Aunt Sue at 4 High Street.',
          visited: '2026-10-15',
          quality: { grade: 'good', rationale: 'Clear plan.' },
          needs: ['health', 'education'],
          visits: 4,
          unknown: 'Free text of a question the framework no longer has',
          unknownCode: 'no',
        },
        differences: { seen: 'The list is out of date.' },
      },
      empty: { answers: {} },
    },
    overall: { grade: 'requires-improvement', rationale: 'Taken together, Jo is safer.' },
    safeguardingConcern: { raised: true, details: 'Bruising seen on 3 March.' },
  };

  it('erases every piece of free text and keeps grades, yes/no answers, choices and numbers', () => {
    expect(erasedResponse(response, types)).toEqual({
      sections: {
        practice: {
          grade: 'requires-improvement',
          rationale: ERASED,
          strengths: ERASED,
          developments: ERASED,
          answers: {
            seen: 'yes',
            notes: ERASED,
            visited: ERASED,
            quality: { grade: 'good', rationale: ERASED },
            needs: ['health', 'education'],
            visits: 4,
            unknown: ERASED,
            unknownCode: 'no',
          },
          differences: { seen: ERASED },
        },
        empty: { answers: {} },
      },
      overall: { grade: 'requires-improvement', rationale: ERASED },
      safeguardingConcern: { raised: true, details: ERASED },
    });
  });

  it('is idempotent, and leaves what is not a response as it is', () => {
    const once = erasedResponse(response, types);
    expect(erasedResponse(once, types)).toEqual(once);
    expect(erasedResponse(null, types)).toBeNull();
    expect(erasedResponse({}, types)).toEqual({});
  });

  it('keeps an empty answer empty', () => {
    expect(erasedAnswer('', 'text')).toBe('');
    expect(erasedAnswer(null, undefined)).toBeNull();
  });
});

describe('scrubbing an audit event summary', () => {
  it('keeps its shape, replaces the case reference and erases free text', () => {
    const summary = {
      before: { status: 'completed' },
      after: { status: 'in_progress', version: 3, reason: 'Jo moved placement', caseRef: 'DS100265' },
      roundId: 4,
      note: 'Checked DS100265 with the manager',
      list: ['DS100265', 7],
      label: 'Audit of DS100265',
    };
    expect(scrubbedSummary(summary, 'DS100265', 'erased-abc')).toEqual({
      before: { status: 'completed' },
      after: { status: 'in_progress', version: 3, reason: ERASED, caseRef: 'erased-abc' },
      roundId: 4,
      note: ERASED,
      list: ['erased-abc', 7],
      label: 'Audit of erased-abc',
    });
  });

  it('leaves a summary with nothing about the child as it was', () => {
    const summary = { after: { grades: { overall: 'good' }, auditorUserId: 3, reason: 'inadequate' } };
    expect(scrubbedSummary(summary, 'DS100265', 'erased-abc')).toEqual(summary);
  });
});

it('tells a pseudonym from a case reference', () => {
  expect(isPseudonym('erased-0a1b2c')).toBe(true);
  expect(isPseudonym('DS100265')).toBe(false);
});

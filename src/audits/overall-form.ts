import { overallConstraint, scaleById } from '../frameworks/overall-grade';
import type { Framework } from '../frameworks/types';
import type { Field } from '../http/form-fields';
import { one, type FormValues } from '../http/form-values';
import { gradeChoices } from './form';
import { overallGrading, sectionGrades, type AuditResponse } from './response';

/**
 * The overall grade's form: the grades the section grades allow (and "not applicable"), each with its
 * descriptor, and why. The constraint's explanation is the grade's hint and the page's guidance.
 */
export function overallFields(framework: Framework, response: AuditResponse) {
  const constraint = overallConstraint(framework, sectionGrades(response));
  const { scale, descriptors, gradePrompt, rationalePrompt } = framework.overall;
  const optional = overallGrading(framework) === 'optional';
  const allowed = new Set(
    scaleById(framework, scale)
      .levels.filter((l) => l.notApplicable || constraint.allowed.includes(l.code))
      .map((l) => l.code),
  );
  const given = response.overall;
  const fields: Field[] = [
    {
      kind: 'radios',
      name: 'grade',
      legend: gradePrompt ?? 'Overall grade',
      legendSize: 'm',
      hint:
        [optional ? 'Optional.' : undefined, constraint.explanation].filter(Boolean).join(' ') || undefined,
      items: gradeChoices(framework, scale, given?.grade, descriptors).filter((c) => allowed.has(c.value)),
    },
    {
      kind: 'textarea',
      name: 'rationale',
      label: rationalePrompt ?? 'Why this overall grade',
      labelSize: 's',
      value: given?.rationale ?? '',
      rows: 6,
    },
  ];
  return { fields, explanation: constraint.explanation };
}

/** The overall grade and its rationale from the form, leaving out what was left blank. */
export function overallFromForm(values: FormValues): NonNullable<AuditResponse['overall']> {
  const grade = one(values, 'grade');
  const rationale = one(values, 'rationale');
  return { ...(grade ? { grade } : {}), ...(rationale ? { rationale } : {}) };
}

/**
 * Form fields described as data and turned into what the `form/*` partials render: GOV.UK Design System
 * markup with ids, hints, error messages and aria-describedby worked out in one place.
 */

export interface Choice {
  value: string;
  text: string;
  hint?: string;
  checked?: boolean;
  /** Fields revealed when this choice is made (shown anyway without JavaScript). */
  conditional?: Field[];
  /** "or": a divider before this choice. */
  dividerBefore?: string;
  /** A "none of these" checkbox that clears the others. */
  exclusive?: boolean;
}

interface Common {
  name: string;
  hint?: string;
  /** The question is the page's heading (one question on the page). */
  isPageHeading?: boolean;
}

export interface InputField extends Common {
  kind: 'input';
  label: string;
  value?: string | number;
  width?: 2 | 3 | 4 | 5 | 10 | 20;
  inputmode?: 'numeric' | 'decimal';
  suffix?: string;
  labelSize?: 's' | 'm' | 'l';
}

export interface TextareaField extends Common {
  kind: 'textarea';
  label: string;
  value?: string;
  rows?: number;
  labelSize?: 's' | 'm' | 'l';
}

export interface ChoiceField extends Common {
  kind: 'radios' | 'checkboxes';
  legend: string;
  items: Choice[];
  small?: boolean;
  legendSize?: 's' | 'm' | 'l';
}

export interface DateField extends Common {
  kind: 'date';
  legend: string;
  value: { day?: string; month?: string; year?: string };
}

export interface FieldsetField extends Common {
  kind: 'fieldset';
  legend: string;
  legendSize?: 's' | 'm' | 'l';
  fields: Field[];
}

export interface SelectOption {
  value: string;
  text: string;
}

/** A GOV.UK select: for long lists where radios would be a wall (teams, staff). */
export interface SelectField extends Common {
  kind: 'select';
  label: string;
  value: string;
  options?: SelectOption[];
  /** Options in groups, an <optgroup> each. */
  groups?: { label: string; options: SelectOption[] }[];
}

export type Field = InputField | TextareaField | ChoiceField | DateField | FieldsetField | SelectField;

/** Field name → message, for the fields a submission got wrong. */
export type FieldErrors = Record<string, string>;

/** Where the error summary's link for a field goes: its first input. */
export function anchorOf(field: Field): string {
  return field.kind === 'date' ? `${field.name}-day` : field.name;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length > 0 ? list.join(' ') : undefined;
}

/** The template view of a field: partial name, ids, error and described-by, recursively. */
export function fieldView(field: Field, errors: FieldErrors = {}): Record<string, unknown> {
  const error = errors[field.name];
  const hintId = field.hint ? `${field.name}-hint` : undefined;
  const errorId = error ? `${field.name}-error` : undefined;
  const base = {
    ...field,
    partial: `form/${field.kind === 'radios' || field.kind === 'checkboxes' ? 'choices' : field.kind}`,
    id: field.name,
    hintId,
    errorId,
    error,
    describedBy: describedBy(hintId, errorId),
  };
  switch (field.kind) {
    case 'input':
      return { ...base, labelSize: field.labelSize ?? (field.isPageHeading ? 'l' : undefined) };
    case 'textarea':
      return {
        ...base,
        rows: field.rows ?? 5,
        labelSize: field.labelSize ?? (field.isPageHeading ? 'l' : undefined),
      };
    case 'radios':
    case 'checkboxes': {
      const module = field.kind === 'radios' ? 'govuk-radios' : 'govuk-checkboxes';
      return {
        ...base,
        module,
        inputType: field.kind === 'radios' ? 'radio' : 'checkbox',
        legendSize: field.legendSize ?? (field.isPageHeading ? 'l' : 'm'),
        items: field.items.map((item, i) => {
          const id = i === 0 ? field.name : `${field.name}-${i + 1}`;
          return {
            ...item,
            id,
            module,
            name: field.name,
            inputType: field.kind === 'radios' ? 'radio' : 'checkbox',
            // GOV.UK Frontend's own pattern: `<name>-hint` is the question's hint, so a choice's is
            // `<id>-item-hint` (the first choice's id is the name, for the error summary's link).
            hintId: item.hint ? `${id}-item-hint` : undefined,
            conditionalId: item.conditional ? `conditional-${id}` : undefined,
            conditional: item.conditional?.map((f) => fieldView(f, errors)),
          };
        }),
      };
    }
    case 'date':
      return {
        ...base,
        legendSize: field.isPageHeading ? 'l' : 'm',
        parts: (['day', 'month', 'year'] as const).map((part) => ({
          id: `${field.name}-${part}`,
          name: `${field.name}-${part}`,
          label: part[0]?.toUpperCase() + part.slice(1),
          value: field.value[part] ?? '',
          width: part === 'year' ? 4 : 2,
          error: Boolean(error),
        })),
      };
    case 'select': {
      const mark = (options: SelectOption[] = []) =>
        options.map((option) => ({ ...option, selected: option.value === field.value }));
      return {
        ...base,
        options: mark(field.options),
        groups: field.groups?.map((group) => ({ ...group, options: mark(group.options) })),
      };
    }
    case 'fieldset':
      return {
        ...base,
        legendSize: field.legendSize ?? (field.isPageHeading ? 'l' : 'm'),
        fields: field.fields.map((f) => fieldView(f, errors)),
      };
  }
}

/** The error summary's list, in the order the fields appear (nested fields included). */
export function errorListFor(
  fields: readonly Field[],
  errors: FieldErrors,
): { field: string; message: string }[] {
  const list: { field: string; message: string }[] = [];
  const visit = (field: Field) => {
    const message = errors[field.name];
    if (message) list.push({ field: anchorOf(field), message });
    if (field.kind === 'fieldset') field.fields.forEach(visit);
    if (field.kind === 'radios' || field.kind === 'checkboxes')
      field.items.forEach((item) => item.conditional?.forEach(visit));
  };
  fields.forEach(visit);
  return list;
}

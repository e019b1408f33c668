import fc from 'fast-check';
import { myAuditSections, type AllocatedAudit } from './sections';

const STATUSES: AllocatedAudit['status'][] = [
  'unallocated',
  'allocated',
  'in_progress',
  'submitted',
  'cancelled',
];
const TODAY = '2026-06-15';
const audit = (id: number, status: AllocatedAudit['status'], dueDate: string) => ({ id, status, dueDate });

describe('My audits sections', () => {
  it('lists work to do overdue first, then by due date; submitted and cancelled apart', () => {
    const sections = myAuditSections(
      [
        audit(1, 'allocated', '2026-07-01'),
        audit(2, 'submitted', '2026-05-01'),
        audit(3, 'in_progress', '2026-06-14'),
        audit(4, 'cancelled', '2026-05-20'),
        audit(5, 'allocated', '2026-06-15'),
        audit(6, 'in_progress', '2026-01-02'),
        audit(7, 'allocated', '2026-06-14'),
      ],
      TODAY,
    );
    expect(sections.toDo.map((a) => a.id)).toEqual([6, 3, 7, 5, 1]);
    expect(sections.submitted.map((a) => a.id)).toEqual([2]);
    expect(sections.cancelled.map((a) => a.id)).toEqual([4]);
  });

  it('puts every audit in exactly one section, and no overdue audit after one that is not', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.nat(), status: fc.constantFrom(...STATUSES), dueDate: day }), {
          selector: (a) => a.id,
        }),
        (audits) => {
          const { toDo, submitted, cancelled } = myAuditSections(audits, TODAY);
          expect([...toDo, ...submitted, ...cancelled].map((a) => a.id).sort()).toEqual(
            audits.map((a) => a.id).sort(),
          );
          expect(submitted.every((a) => a.status === 'submitted')).toBe(true);
          expect(cancelled.every((a) => a.status === 'cancelled')).toBe(true);
          const overdue = toDo.map((a) => a.dueDate < TODAY);
          expect(overdue).toEqual([...overdue].sort((a, b) => Number(b) - Number(a)));
          for (let i = 1; i < toDo.length; i++) expect(toDo[i - 1]!.dueDate <= toDo[i]!.dueDate).toBe(true);
        },
      ),
    );
  });
});

import { moderationPolicySchema } from '../moderation/policy';
import { CASE_TYPES } from '../frameworks/types';
import { compile, type FromSchema } from '../validation';

export const DEFAULT_EXCLUSIONS: Exclusions = {
  auditedWithinMonths: 12,
  inOtherOpenRound: true,
  closed: true,
  restricted: true,
};

const ids = {
  type: 'array',
  items: { type: 'integer', minimum: 1, maximum: 2147483647 },
  uniqueItems: true,
  nullable: true,
} as const;
const codes = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 40 },
  uniqueItems: true,
  nullable: true,
} as const;

const inputSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'name',
    'frameworkId',
    'frameworkVersion',
    'importId',
    'dueDate',
    'filters',
    'size',
    'stratifyBy',
    'exclusions',
  ],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    frameworkId: { type: 'string', minLength: 1, maxLength: 80 },
    frameworkVersion: { type: 'string', minLength: 1, maxLength: 40 },
    importId: { type: 'integer', minimum: 1, maximum: 2147483647 },
    dueDate: { type: 'string', format: 'date' },
    seed: { type: 'integer', minimum: -2147483648, maximum: 2147483647, nullable: true },
    filters: {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: {
        caseTypes: {
          type: 'array',
          items: { type: 'string', enum: CASE_TYPES },
          uniqueItems: true,
          nullable: true,
        },
        teamIds: ids,
        localityIds: ids,
        categoriesOfAbuse: codes,
        placementTypes: codes,
        legalStatuses: codes,
        uasc: { type: 'boolean', nullable: true },
        disability: {
          type: 'array',
          items: { type: 'string', enum: ['yes', 'no', 'unknown'] },
          uniqueItems: true,
          nullable: true,
        },
        missingEpisodes: { type: 'boolean', nullable: true },
        ageMin: { type: 'integer', minimum: 0, maximum: 30, nullable: true },
        ageMax: { type: 'integer', minimum: 0, maximum: 30, nullable: true },
      },
    },
    size: {
      type: 'object',
      required: ['kind'],
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'total'],
          properties: {
            kind: { type: 'string', const: 'fixed' },
            total: { type: 'integer', minimum: 1, maximum: 100000 },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'perTeam'],
          properties: {
            kind: { type: 'string', const: 'per-team' },
            perTeam: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'margin'],
          properties: {
            kind: { type: 'string', const: 'margin-of-error' },
            margin: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
            confidence: { type: 'number', enum: [0.9, 0.95, 0.99], nullable: true },
            proportion: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, nullable: true },
          },
        },
      ],
    },
    stratifyBy: { type: 'string', enum: ['none', 'team', 'case-type'] },
    exclusions: {
      type: 'object',
      additionalProperties: false,
      required: ['auditedWithinMonths', 'inOtherOpenRound', 'closed', 'restricted'],
      properties: {
        auditedWithinMonths: { type: ['integer', 'null'], minimum: 1, maximum: 120 },
        inOtherOpenRound: { type: 'boolean' },
        closed: { type: 'boolean' },
        restricted: { type: 'boolean' },
      },
    },
    auditors: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['userId'],
        properties: {
          userId: { type: 'integer', minimum: 1, maximum: 2147483647 },
          capacity: { type: 'integer', minimum: 0, maximum: 1000, nullable: true },
        },
      },
    },
    moderation: { ...moderationPolicySchema, nullable: true },
  },
} as const;

/** A round as asked for: what to sample, how, who audits and which submitted audits go to moderation. */
export type RoundInput = FromSchema<typeof inputSchema>;
export type RoundFilters = RoundInput['filters'];
export type Exclusions = RoundInput['exclusions'];
/** Who audits, and the most audits they can take (left out: an even share of what the others leave). */
export type AuditorCapacity = NonNullable<RoundInput['auditors']>[number];

export const validateRoundInput = compile(inputSchema);

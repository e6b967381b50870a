import type { JsonSchema } from '@taskdeck/contracts';
import {
  dependentFields,
  fieldsOf,
  initialValues,
  prefilledValues,
  requiredFor,
  toParams,
} from './params-schema';

const schema: JsonSchema = {
  type: 'object',
  required: ['action'],
  properties: {
    action: { type: 'string', enum: ['emit', 'sleep'], title: 'Action' },
    count: { type: 'integer', minimum: 1, maximum: 1000, title: 'Count' },
    sources: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      maxItems: 3,
      default: ['debug'],
    },
    ratio: { type: 'number', maximum: 1 },
    verbose: { type: 'boolean' },
    note: { type: 'string', maxLength: 5 },
  },
  allOf: [{ if: { properties: { action: { const: 'emit' } } }, then: { required: ['count'] } }],
};

describe('params-schema', () => {
  it('turns properties into typed fields with labels', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ['action', 'enum', 'Action'],
      ['count', 'integer', 'Count'],
      ['sources', 'string-list', 'Sources'],
      ['ratio', 'number', 'Ratio'],
      ['verbose', 'boolean', 'Verbose'],
      ['note', 'string', 'Note'],
    ]);
  });

  it('starts from defaults and the first option of a required enum', () => {
    expect(initialValues(schema)).toEqual({
      action: 'emit',
      count: '',
      sources: 'debug',
      ratio: '',
      verbose: false,
      note: '',
    });
  });

  it('applies conditional requirements for the chosen values', () => {
    expect([...requiredFor(schema, { action: 'emit' })].sort()).toEqual(['action', 'count']);
    expect([...requiredFor(schema, { action: 'sleep' })]).toEqual(['action']);
  });

  it('reports every kind of error with the field label', () => {
    expect(
      toParams(schema, {
        action: 'emit',
        count: '',
        sources: '',
        ratio: '',
        verbose: false,
        note: '',
      }).errors,
    ).toEqual({
      count: 'Count is required',
    });
    const { errors } = toParams(schema, {
      action: 'emit',
      count: '2.5',
      sources: 'a,b,c,d',
      ratio: '3',
      verbose: false,
      note: 'toolong',
    });
    expect(errors).toEqual({
      count: 'Count must be a whole number',
      sources: 'Sources takes at most 3 items',
      ratio: 'Ratio must be at most 1',
      note: 'Note must have at most 5 characters',
    });
    expect(toParams(schema, { action: 'emit', count: '0' }).errors['count']).toBe(
      'Count must be at least 1',
    );
    expect(toParams(schema, { action: 'nope', count: '1' }).errors['action']).toBe(
      'Action must be one of emit, sleep',
    );
  });

  it('converts valid values to params and leaves empty optional fields to the server', () => {
    const result = toParams(schema, {
      action: 'emit',
      count: ' 40 ',
      sources: 'alpha, beta,',
      ratio: '',
      verbose: true,
      note: '',
    });
    expect(result.errors).toEqual({});
    expect(result.params).toEqual({
      action: 'emit',
      count: 40,
      sources: ['alpha', 'beta'],
      verbose: true,
    });
  });
});

describe('params-schema pickers', () => {
  const refs: JsonSchema = {
    type: 'object',
    required: ['environmentId'],
    properties: {
      environmentId: {
        type: 'string',
        format: 'uuid',
        title: 'Environment',
        'x-taskdeck-ref': { kind: 'environment' },
      },
      datasetId: {
        type: 'integer',
        title: 'Dataset',
        'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
      },
      dashboardIds: {
        type: 'array',
        items: { type: 'integer' },
        maxItems: 2,
        title: 'Dashboards',
        'x-taskdeck-ref': { kind: 'dashboard', environmentField: 'environmentId' },
      },
    },
  };

  it('turns marked fields into pickers that know what they refer to', () => {
    expect(fieldsOf(refs).map((f) => [f.name, f.kind, f.ref?.kind, f.numeric])).toEqual([
      ['environmentId', 'ref', 'environment', false],
      ['datasetId', 'ref', 'dataset', true],
      ['dashboardIds', 'ref-list', 'dashboard', true],
    ]);
    expect(dependentFields(refs, 'environmentId')).toEqual(['datasetId', 'dashboardIds']);
    expect(dependentFields(refs, 'datasetId')).toEqual([]);
  });

  it('sends ids as the schema types them, and checks them', () => {
    const env = '6f1c0b2e-7d4a-4b8e-9c1d-2a3b4c5d6e7f';
    expect(toParams(refs, { environmentId: env, datasetId: '7', dashboardIds: '3,4' })).toEqual({
      params: { environmentId: env, datasetId: 7, dashboardIds: [3, 4] },
      errors: {},
    });
    expect(
      toParams(refs, { environmentId: '', datasetId: 'x', dashboardIds: '1,2,3' }).errors,
    ).toEqual({
      environmentId: 'Environment is required',
      datasetId: 'Dataset is not a valid choice',
      dashboardIds: 'Dashboards takes at most 2 items',
    });
    expect(
      initialValues({
        ...refs,
        properties: {
          ...refs.properties,
          dashboardIds: { ...refs.properties!['dashboardIds'], default: [1, 2] },
        },
      })['dashboardIds'],
    ).toBe('1,2');
  });
});

describe('params-schema prefilled values', () => {
  const gitSchema: JsonSchema = {
    type: 'object',
    properties: {
      action: { type: 'string', enum: ['commit', 'push'] },
      repositoryId: { type: 'string', format: 'uuid', 'x-taskdeck-ref': { kind: 'repository' } },
      dryRun: { type: 'boolean' },
    },
  };

  it('takes the query values of the schema’s fields, as the form holds them', () => {
    expect(
      prefilledValues(gitSchema, {
        plugin: 'git',
        action: 'push',
        repositoryId: 'r1',
        dryRun: 'true',
      }),
    ).toEqual({ action: 'push', repositoryId: 'r1', dryRun: true });
    expect(prefilledValues(gitSchema, { unknown: 'x' })).toEqual({});
  });
});
